import type { CanonicalChatResponse } from '@portcullis/core';
import { Findings } from '../actions/findings';
import { redactText } from '../actions/redact';
import { jsonStringEscape, placeholderSpans, type RedactionVault } from '../actions/vault';
import { resolveOverlaps } from '../detect/overlaps';
import type { Scanner } from '../detect/scanner';
import type { Span } from '../detect/types';
import type { NamesLookup } from './input-guard';

export interface OutputGuardResult {
  response: CanonicalChatResponse;
  findings: Findings;
  blockedTypes: string[];
  /** Set when the names lookup did not finish: 'timeout', 'queue_full', ... */
  namesFailure: string | null;
}

/**
 * Tool-call arguments as the name tagger should read them: JSON punctuation blanked to spaces,
 * so `{"to":"John Smith"}` reads as prose while every offset still points into the JSON (a
 * masked name then replaces only characters inside a string value: the JSON stays valid).
 */
const proseViewOfJson = (json: string): string => json.replace(/[{}[\]":,]/g, ' ');

/**
 * The answer's texts in a fixed order (per choice its content, refusal, then each tool call's
 * arguments), each with the view the name tagger reads.
 */
function outputTexts(response: CanonicalChatResponse): { raw: string; view: string }[] {
  const texts: { raw: string; view: string }[] = [];
  for (const { message } of response.choices) {
    if (typeof message.content === 'string') texts.push({ raw: message.content, view: message.content });
    if (typeof message.refusal === 'string') texts.push({ raw: message.refusal, view: message.refusal });
    for (const call of message.tool_calls ?? []) texts.push({ raw: call.function.arguments, view: proseViewOfJson(call.function.arguments) });
  }
  return texts;
}

/**
 * A whole (non-streamed) response: assistant text, refusals and tool-call arguments are
 * scanned when the policy scans output, names included when the policy asks for them (one
 * worker-pool lookup for all the texts), and reversible placeholders are restored in all of
 * them (in tool-call arguments JSON-escaped, so the arguments stay valid JSON). Streams are
 * checked by the stream guard, for patterns only: chunk hooks are synchronous by contract.
 */
export async function guardResponse(
  response: CanonicalChatResponse,
  scanner: Scanner,
  vault: RedactionVault,
  lookupNames: NamesLookup | null = null,
): Promise<OutputGuardResult> {
  const findings = new Findings();
  const scan = scanner.policy.scanOutput;

  // Names (the worker pool) for every output text at once, in the order process() visits them.
  let namesFailure: string | null = null;
  let nameSpans: Span[][] | null = null;
  if (scan && lookupNames !== null && scanner.nameTypes.length > 0) {
    const texts = outputTexts(response);
    if (texts.length > 0) {
      const names = await lookupNames(texts.map((t) => t.view), scanner.nameTypes);
      if (names.ok) {
        // A name that overlaps a placeholder would stop it being restored: the placeholder wins.
        nameSpans = names.spans.map((spans, i) => {
          const held = placeholderSpans(texts[i]!.raw);
          return held.length === 0 ? spans : spans.filter((s) => !held.some((p) => s.start < p.end && p.start < s.end));
        });
      } else namesFailure = names.reason;
    }
  }
  let visited = 0;
  const spansFor = (text: string): Span[] => {
    const found = nameSpans?.[visited++] ?? [];
    const patterns = scanner.scan(text);
    return found.length === 0 ? patterns : resolveOverlaps([...patterns, ...found]);
  };

  const process = (text: string, isJson: boolean): string =>
    redactText(text, scan ? spansFor(text) : [], {
      direction: 'output',
      actionFor: scanner.actionFor,
      vault,
      findings,
      restore: (segment) => vault.restore(segment, isJson ? jsonStringEscape : undefined),
    });

  const choices = response.choices.map((choice) => {
    const message = { ...choice.message };
    if (typeof message.content === 'string') message.content = process(message.content, false);
    if (typeof message.refusal === 'string') message.refusal = process(message.refusal, false);
    if (message.tool_calls !== undefined) {
      message.tool_calls = message.tool_calls.map((call) => ({
        ...call,
        function: { ...call.function, arguments: process(call.function.arguments, true) },
      }));
    }
    return { ...choice, message };
  });
  return { response: { ...response, choices }, findings, blockedTypes: findings.types('block'), namesFailure };
}
