import type { Span } from '../detect/types';

/**
 * The reversible-redaction mapping of ONE request: placeholder <-> original value. It lives in
 * that request's state only and is never logged, persisted or shared.
 */
export const PLACEHOLDER_PATTERN = /\[\[([A-Z][A-Z0-9_]*_\d+)\]\]/g;

/** Where reversible placeholders sit in a text (nothing may cut into one, or it cannot be restored). */
export function placeholderSpans(text: string): Span[] {
  const spans: Span[] = [];
  if (!text.includes('[[')) return spans;
  const re = new RegExp(PLACEHOLDER_PATTERN.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) spans.push({ type: 'placeholder', start: m.index, end: m.index + m[0].length });
  return spans;
}

export class RedactionVault {
  private readonly byValue = new Map<string, string>();
  private readonly byPlaceholder = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  /** The placeholder for a value; the same value always gets the same placeholder. */
  placeholderFor(type: string, value: string): string {
    const key = `${type}\u0000${value}`;
    const existing = this.byValue.get(key);
    if (existing !== undefined) return existing;
    const n = (this.counters.get(type) ?? 0) + 1;
    this.counters.set(type, n);
    const placeholder = `[[${type}_${n}]]`;
    this.byValue.set(key, placeholder);
    this.byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  get size(): number {
    return this.byPlaceholder.size;
  }

  /**
   * Puts originals back. `escape` adapts a value to where it lands (JSON string escaping for
   * tool-call arguments). Unknown placeholders (the model invented one) are left as they are.
   */
  restore(text: string, escape: (value: string) => string = (v) => v): string {
    if (this.byPlaceholder.size === 0 || !text.includes('[[')) return text;
    return text.replace(PLACEHOLDER_PATTERN, (whole) => {
      const original = this.byPlaceholder.get(whole);
      return original === undefined ? whole : escape(original);
    });
  }
}

/** Escapes a value for the inside of a JSON string literal. */
export const jsonStringEscape = (value: string): string => JSON.stringify(value).slice(1, -1);
