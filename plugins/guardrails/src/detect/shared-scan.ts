/**
 * Facts about one text that several detectors need, computed at most once per scan and only
 * when a detector asks. The point is fewer full passes over the text: on a 2 KB prompt each
 * regex scan that cannot skip ahead by a literal costs a few microseconds, and the digit-led
 * detectors (phone, card, SSN, IPv4) would each retry at every digit. Instead one pass finds
 * the runs of number characters, and each detector tries its own pattern only inside them.
 */

/**
 * A number-shaped run: an optional '+' or '(', a digit, then digits and the separators numbers
 * are written with, ending in a digit, at least 7 characters. Every match of a pattern made of
 * digits and these separators that starts and ends with a digit and is 7+ characters long lies
 * inside one such run (the scan starts each run at its first digit and takes it to its last).
 */
export const NUMBER_RUN_SOURCE = '[+(]?\\d[\\d ().\\-\\/]{5,}\\d';
export const NUMBER_RUN_MIN_LENGTH = 7;

export interface SharedScan {
  readonly text: string;
  /** Number-shaped runs as flat [start, end, start, end, ...] (half-open), in text order. */
  numberRuns(): readonly number[];
  /** Length of the longest number-shaped run (0 when there is none). */
  longestNumberRun(): number;
  /** Whether the text has any ASCII digit (the gate of several keyword detectors), found once. */
  hasDigit(): boolean;
}

/** One factory per scanner: it owns the run regex (a global regex carries lastIndex). */
export function sharedScanFactory(): (text: string) => SharedScan {
  const runPattern = new RegExp(NUMBER_RUN_SOURCE, 'g');
  return (text) => {
    let runs: number[] | null = null;
    let longest = 0;
    let digit: boolean | null = null;
    const numberRuns = (): readonly number[] => {
      if (runs !== null) return runs;
      const found: number[] = [];
      runPattern.lastIndex = 0;
      for (let m = runPattern.exec(text); m !== null; m = runPattern.exec(text)) {
        const end = m.index + m[0].length;
        found.push(m.index, end);
        if (end - m.index > longest) longest = end - m.index;
      }
      runs = found;
      return runs;
    };
    return {
      text,
      numberRuns,
      longestNumberRun: () => {
        numberRuns();
        return longest;
      },
      hasDigit: () => (digit ??= /\d/.test(text)),
    };
  };
}

/**
 * Visits the positions inside number runs where a pattern of run characters, at least
 * `minLength` (>= 7) long and starting with a digit, can start: digits whose previous
 * character passes `startsAfter` (the pattern's look-behind, which still decides), with room
 * for `minLength` characters before the run ends. Ascending order.
 */
export function forEachRunDigit(
  shared: SharedScan,
  minLength: number,
  startsAfter: (previousCode: number) => boolean,
  visit: (position: number) => void,
): void {
  if (shared.longestNumberRun() < minLength) return;
  const { text } = shared;
  const runs = shared.numberRuns();
  for (let r = 0; r < runs.length; r += 2) {
    const last = runs[r + 1]! - minLength;
    for (let j = runs[r]!; j <= last; j++) {
      const c = text.charCodeAt(j);
      if (c >= 48 && c <= 57 && (j === 0 || startsAfter(text.charCodeAt(j - 1)))) visit(j);
    }
  }
}
