import type { Span } from '../detect/types';
import type { GuardrailAction } from '../policy/schema';
import type { Direction, Findings } from './findings';
import type { RedactionVault } from './vault';

export interface RedactOptions {
  direction: Direction;
  actionFor(type: string): GuardrailAction;
  vault: RedactionVault;
  findings: Findings;
  /** Output side: put reversible placeholders back, escaped for where they land. */
  restore?: (segment: string) => string;
}

export const maskLabel = (type: string): string => `[${type}]`;

/**
 * Applies the policy's actions to the spans of one text and returns the new text. On input,
 * redact_reversible swaps in a placeholder; on output it leaves a value alone (the point of the
 * action is that the provider never sees the value, not that the user doesn't) and the
 * placeholders the provider echoed are restored. `block` only records: the caller decides to
 * throw once every text of the message has been looked at, so the error names all types.
 */
export function redactText(text: string, spans: readonly Span[], options: RedactOptions): string {
  const { direction, actionFor, vault, findings } = options;
  const restore = options.restore ?? ((s: string) => s);
  if (spans.length === 0) return restore(text);
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    const action = actionFor(span.type);
    if (action === 'off') continue;
    findings.add(span.type, action);
    const value = text.slice(span.start, span.end);
    let replacement: string;
    if (action === 'mask') replacement = maskLabel(span.type);
    else if (action === 'redact_reversible' && direction === 'input') replacement = vault.placeholderFor(span.type, value);
    else continue; // block, log_only, output-side reversible: text unchanged
    out += restore(text.slice(cursor, span.start)) + replacement;
    cursor = span.end;
  }
  return out + restore(text.slice(cursor));
}
