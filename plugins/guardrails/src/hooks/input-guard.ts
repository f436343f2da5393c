import type { CanonicalChatRequest, EmbeddingsRequest } from '@portcullis/core';
import { Findings } from '../actions/findings';
import { redactText } from '../actions/redact';
import type { RedactionVault } from '../actions/vault';
import { resolveOverlaps } from '../detect/overlaps';
import type { Scanner } from '../detect/scanner';
import type { Span } from '../detect/types';
import { PROMPT_INJECTION } from '../entities';
import { requestTextSlots } from './text-slots';

/** Looks for names in the given texts; per-text spans, or why it could not. */
export type NamesLookup = (
  texts: readonly string[],
  types: readonly string[],
) => Promise<{ ok: true; spans: Span[][] } | { ok: false; reason: string }>;

export interface InputGuardResult {
  /** The request to send upstream (the original object when nothing changed). */
  request: CanonicalChatRequest | EmbeddingsRequest;
  findings: Findings;
  /** Types whose action is block (PROMPT_INJECTION included when its action is block). */
  blockedTypes: string[];
  /** Set when the names lookup did not finish: 'timeout', 'queue_full', ... */
  namesFailure: string | null;
}

/** Injection comes from whoever writes user turns or tool results, not from the operator. */
const INJECTION_ROLES = new Set(['user', 'tool']);

export async function guardRequest(
  request: CanonicalChatRequest | EmbeddingsRequest,
  scanner: Scanner,
  vault: RedactionVault,
  lookupNames: NamesLookup | null,
): Promise<InputGuardResult> {
  const findings = new Findings();
  const slots = requestTextSlots(request);
  // Names first: the lookup hands the texts to a worker, so the pattern scan below runs while
  // the worker tags instead of before it.
  const namesLookup =
    lookupNames !== null && scanner.nameTypes.length > 0 && slots.length > 0 ? lookupNames(slots.map((s) => s.text), scanner.nameTypes) : null;
  const spans = slots.map((slot) => scanner.scan(slot.text));

  let namesFailure: string | null = null;
  if (namesLookup !== null) {
    const names = await namesLookup;
    if (names.ok) {
      names.spans.forEach((found, i) => {
        if (found.length > 0 && spans[i] !== undefined) spans[i] = resolveOverlaps([...spans[i]!, ...found]);
      });
    } else namesFailure = names.reason;
  }

  const injection = scanner.policy.promptInjection;
  if (injection !== 'off') {
    for (const slot of slots) {
      if (!INJECTION_ROLES.has(slot.role)) continue;
      const hits = scanner.scanInjection(slot.text).length;
      if (hits > 0) findings.add(PROMPT_INJECTION, injection, hits);
    }
  }

  let rewritten: CanonicalChatRequest | EmbeddingsRequest | null = null;
  slots.forEach((slot, i) => {
    const found = spans[i]!;
    if (found.length === 0) return;
    const text = redactText(slot.text, found, { direction: 'input', actionFor: scanner.actionFor, vault, findings });
    if (text !== slot.text) {
      rewritten ??= structuredClone(request);
      slot.write(rewritten, text);
    }
  });

  return { request: rewritten ?? request, findings, blockedTypes: findings.types('block'), namesFailure };
}
