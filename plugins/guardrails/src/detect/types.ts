import type { EntityType } from '../entities';

/** A detected entity: half-open [start, end) in UTF-16 code units of the scanned text. */
export interface Span {
  type: EntityType;
  start: number;
  end: number;
}

/** One detector: appends what it finds in `text` to `out`. Pure, synchronous, no I/O. */
export interface Detector {
  /** Entity type this detector reports (one per detector keeps per-type policies simple). */
  type: EntityType;
  /** Longest text this detector can report; bounds the stream hold-back window. */
  maxLength: number;
  find(text: string, out: Span[]): void;
}

export interface RegexDetectorSpec {
  type: EntityType;
  /** Must carry the `g` flag; quantifiers bounded so a long token cannot make it quadratic. */
  regex: RegExp;
  maxLength: number;
  /** Cheap whole-text pre-check; the regex runs only when it returns true. */
  gate?: (text: string) => boolean;
  /** Validates a match (checksums, context); returns the span to report or null. */
  accept?: (match: RegExpExecArray, text: string) => Span | null;
}

/** A detector from a regex plus validation; the regex object is private to the detector. */
export function regexDetector(spec: RegexDetectorSpec): Detector {
  const { type, regex, maxLength, gate, accept } = spec;
  return {
    type,
    maxLength,
    find(text, out) {
      if (gate !== undefined && !gate(text)) return;
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        if (m[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        const span = accept === undefined ? { type, start: m.index, end: m.index + m[0].length } : accept(m, text);
        if (span !== null) out.push(span);
      }
    },
  };
}

/** Span of a capture group that ends where the whole match ends (keyword-then-value patterns). */
export function trailingGroupSpan(type: EntityType, m: RegExpExecArray, group: number): Span | null {
  const value = m[group];
  if (value === undefined) return null;
  const end = m.index + m[0].length;
  return { type, start: end - value.length, end };
}
