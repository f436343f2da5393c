import type { Detector, Span } from './types';

export interface CustomPatternSpec {
  name: string;
  pattern: string;
  flags?: string;
  /** Longest match the operator expects; also the overlap between scan windows. */
  maxLength: number;
}

/**
 * An operator's pattern. The pattern passed the backtracking check at save time; on top of
 * that it only ever sees windows of `windowChars`, so even a quadratic pattern has a hard cost
 * ceiling per window (windows overlap by maxLength, so no match shorter than that is lost).
 */
export function customPatternDetector(spec: CustomPatternSpec, windowChars: number): Detector {
  const flags = `g${(spec.flags ?? '').replace(/[^imsu]/g, '')}`;
  const regex = new RegExp(spec.pattern, flags);
  const overlap = Math.min(spec.maxLength, Math.floor(windowChars / 2));
  const step = windowChars - overlap;
  return {
    type: spec.name,
    maxLength: spec.maxLength,
    find(text, out) {
      const seen = new Set<number>();
      for (let offset = 0; offset < text.length; offset += step) {
        const window = text.slice(offset, offset + windowChars);
        regex.lastIndex = 0;
        for (let m = regex.exec(window); m !== null; m = regex.exec(window)) {
          if (m[0].length === 0) {
            regex.lastIndex++;
            continue;
          }
          const start = offset + m.index;
          if (m[0].length <= spec.maxLength && !seen.has(start)) {
            seen.add(start);
            const span: Span = { type: spec.name, start, end: start + m[0].length };
            out.push(span);
          }
        }
        if (offset + windowChars >= text.length) break;
      }
    },
  };
}
