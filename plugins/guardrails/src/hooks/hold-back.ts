import { placeholderSpans } from '../actions/vault';
import { DOB_KEYWORD_SOURCE, DOB_REACH } from '../detect/pii';
import type { Span } from '../detect/types';

export interface HoldBackRules {
  /** Longest entity being detected (capped): never hold more than this. */
  window: number;
  detectEntities: boolean;
  detectsDateOfBirth: boolean;
  detectsPrivateKeys: boolean;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
const isGroupSeparator = (c: string | undefined): boolean => c === ' ' || c === '-' || c === '.' || c === '/';
/** [0-9A-Za-z()+], by char code: this runs for characters of every stream delta. */
const isGroupChar = (c: string): boolean => {
  const code = c.charCodeAt(0);
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 40 || code === 41 || code === 43;
};
const isNumberGroup = (g: string): boolean => /^[+(]?\d+\)?$/.test(g) || /^[A-Z0-9]{4}$/.test(g) || /^[A-Z]{2}\d{2}$/.test(g);
const PARTIAL_PLACEHOLDER = /\[(?:\[[A-Z0-9_]*\]?)?$/;

/**
 * Where the undecided tail of a stream buffer starts: everything before it can be emitted now,
 * everything from it on could still be (the start of) an entity that the next delta completes.
 * The tail is the smallest of:
 *  - the trailing run of non-space characters (emails, keys, URLs, placeholders, ...);
 *  - before that, groups of digits joined by single separators (`4111 1111 `, `(212) 555-`);
 *  - everything after a date-of-birth keyword while a date could still follow it;
 *  - a PEM private-key header still being written;
 *  - any detected span that reaches the end (it may grow);
 * never inside a detected span, and never longer than the window (so a clean prefix always
 * flows at once and nothing waits for more than `window` characters).
 *
 * `base` is where not-yet-emitted text starts in `buf` (before it: already-emitted context).
 */
export function holdBackStart(buf: string, base: number, spans: readonly Span[], rules: HoldBackRules): number {
  const len = buf.length;
  let hold = len;

  if (rules.detectEntities) {
    let i = len;
    while (i > base && !isSpace(buf[i - 1])) i--;
    hold = i;

    // Groups of digits joined by separators, walking backwards from the token run.
    let j = hold;
    for (;;) {
      let k = j;
      if (k > base && isGroupSeparator(buf[k - 1])) k--;
      else break;
      let g = k;
      while (g > base && k - g < 6 && isGroupChar(buf[g - 1]!)) g--;
      const group = buf.slice(g, k);
      // Number groups only: digits (phones may carry `+` or parentheses), or IBAN-shaped groups of
      // capitals and digits (GB82 WEST 1234 ...). A word that merely contains a digit ("item1")
      // is not part of a grouped number, so it does not hold the stream back.
      if (group.length === 0 || !isNumberGroup(group)) break;
      // A group cut short by the length limit is part of a longer word: not a grouped number.
      if (g > base && isGroupChar(buf[g - 1]!)) break;
      j = g;
    }
    hold = Math.min(hold, j);

    if (rules.detectsDateOfBirth) {
      const from = Math.max(0, len - DOB_REACH - 24);
      const keyword = new RegExp(DOB_KEYWORD_SOURCE, 'gi');
      keyword.lastIndex = from;
      for (let m = keyword.exec(buf); m !== null; m = keyword.exec(buf)) {
        const keywordEnd = m.index + m[0].length;
        if (keywordEnd > len - DOB_REACH) {
          hold = Math.min(hold, Math.max(base, keywordEnd));
          break;
        }
      }
    }
    if (rules.detectsPrivateKeys) {
      // A PEM header still being written ("-----BEGIN EC PRIV"): the stream guard takes over
      // once it is complete.
      const begin = buf.lastIndexOf('-----BEGIN', len);
      if (begin >= 0 && len - begin <= 64 && buf.indexOf('-----', begin + 10) < 0) hold = Math.min(hold, Math.max(base, begin));
    }
    for (const span of spans) if (span.end >= len) hold = Math.min(hold, span.start);
  } else {
    const m = PARTIAL_PLACEHOLDER.exec(buf.slice(Math.max(base, len - 64)));
    if (m !== null) hold = len - m[0].length;
  }

  hold = Math.max(hold, base, len - rules.window);
  // Never cut through a detected span or a placeholder: back off to its start, or, when the
  // window forbids holding that long, emit it whole.
  for (const span of [...spans, ...placeholderSpans(buf)]) {
    if (span.start < hold && hold < span.end) hold = span.start >= Math.max(base, len - rules.window) ? span.start : span.end;
  }
  // Keep surrogate pairs together.
  const code = buf.charCodeAt(hold - 1);
  if (hold > base && hold < len && code >= 0xd800 && code <= 0xdbff) hold--;
  return hold;
}
