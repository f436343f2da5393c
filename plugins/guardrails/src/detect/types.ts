import type { EntityType } from '../entities';
import type { SharedScan } from './shared-scan';

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
  /** `shared` holds per-scan facts (numeric runs) that several detectors use; see shared-scan.ts. */
  find(text: string, out: Span[], shared: SharedScan): void;
}

export interface RegexDetectorSpec {
  type: EntityType;
  /** Must carry the `g` flag; quantifiers bounded so a long token cannot make it quadratic. */
  regex: RegExp;
  maxLength: number;
  /** Cheap whole-text pre-check; the regex runs only when it returns true. */
  gate?: (text: string, shared: SharedScan) => boolean;
  /** Validates a match (checksums, context); returns the span to report or null. */
  accept?: (match: RegExpExecArray, text: string) => Span | null;
}

/** A detector from a regex plus validation; the regex object is private to the detector. */
export function regexDetector(spec: RegexDetectorSpec): Detector {
  const { type, regex, maxLength, gate, accept } = spec;
  return {
    type,
    maxLength,
    find(text, out, shared) {
      if (gate !== undefined && !gate(text, shared)) return;
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

export interface AnchoredDetectorSpec {
  type: EntityType;
  /** The detector's pattern, compiled sticky (`y`): it is only tried where `candidates` says. */
  regex: RegExp;
  maxLength: number;
  /**
   * Calls `visit` with every position where a match of `regex` could start, in ascending
   * order (a superset is fine: the regex decides). Leaving out a position where the regex
   * would match loses that match, so each implementation states why its set is complete.
   */
  candidates: (text: string, shared: SharedScan, visit: (position: number) => void) => void;
  accept?: (match: RegExpExecArray, text: string) => Span | null;
}

/**
 * A detector that tries its regex only at candidate positions instead of scanning the whole
 * text. It reports exactly what a global scan of the same regex would: candidates come in
 * ascending order, and positions inside the previous match (accepted or not) are skipped,
 * just as a global regex resumes at the end of its last match.
 */
export function anchoredDetector(spec: AnchoredDetectorSpec): Detector {
  const { type, regex, maxLength, candidates, accept } = spec;
  if (!regex.sticky) throw new Error(`anchoredDetector(${type}): the regex must carry the y flag`);
  return {
    type,
    maxLength,
    find(text, out, shared) {
      let resumeAt = 0;
      candidates(text, shared, (position) => {
        if (position < resumeAt) return;
        regex.lastIndex = position;
        const m = regex.exec(text);
        if (m === null || m[0].length === 0) return;
        resumeAt = position + m[0].length;
        const span = accept === undefined ? { type, start: position, end: resumeAt } : accept(m, text);
        if (span !== null) out.push(span);
      });
    },
  };
}

/** Character tests on UTF-16 code units, for candidate searches that must not allocate. */
export const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;
export const isAsciiLetterCode = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** `\w` of a non-unicode regex: ASCII letters, digits and '_'. */
export const isWordCode = (c: number): boolean => isAsciiLetterCode(c) || isDigitCode(c) || c === 95;
