import { mergeRank } from './merge-rank';
import type { RankTable } from './rank-table';

/**
 * Byte pair encoding of one piece, counting the resulting tokens. It is tiktoken's merge
 * (which gpt-tokenizer implements the same way): start from single bytes, repeatedly merge the
 * adjacent pair whose concatenation has the lowest rank (the leftmost such pair on a tie) until
 * no adjacent pair is a token. Only the number of parts is returned; the count never needs
 * the token ids.
 *
 * Two implementations of the same rule: a scan over small typed arrays for short pieces
 * (nearly all of them), and a heap for long ones, where the scan's O(n^2) would let one long
 * run of letters or symbols in a prompt cost seconds.
 */

const NO_RANK = 0x7fffffff;
/** Longest piece (bytes) merged by the quadratic scan; longer ones go through the heap. */
const SCAN_MAX_BYTES = 128;

export class BpeCounter {
  // Scratch for the scan, sized for its largest piece: part starts and pair ranks.
  private readonly starts = new Int32Array(SCAN_MAX_BYTES + 1);
  private readonly ranks = new Int32Array(SCAN_MAX_BYTES + 1);

  /** Number of tokens BPE splits bytes[0, length) into (length >= 1). */
  count(table: RankTable, bytes: Uint8Array, length: number): number {
    if (length <= 1) return length;
    return length <= SCAN_MAX_BYTES ? this.countByScan(table, bytes, length) : countByHeap(table, bytes, length);
  }

  private countByScan(table: RankTable, bytes: Uint8Array, length: number): number {
    const { starts, ranks } = this;
    // Part i is bytes[starts[i], starts[i + 1]); ranks[i] is the rank of part i merged with
    // part i + 1 (NO_RANK if that is not a token, or for the last part).
    for (let i = 0; i <= length; i++) starts[i] = i;
    for (let i = 0; i < length - 1; i++) {
      const rank = mergeRank(table, bytes, i, i + 2);
      ranks[i] = rank < 0 ? NO_RANK : rank;
    }
    ranks[length - 1] = NO_RANK;
    let parts = length;
    while (parts > 1) {
      let best = NO_RANK;
      let at = -1;
      for (let i = 0; i < parts - 1; i++) {
        if (ranks[i]! < best) {
          best = ranks[i]!;
          at = i;
        }
      }
      if (at < 0) break;
      // Merge parts at and at + 1: drop starts[at + 1] and ranks[at + 1], shifting the rest.
      for (let i = at + 1; i < parts; i++) starts[i] = starts[i + 1]!;
      for (let i = at + 1; i < parts - 1; i++) ranks[i] = ranks[i + 1]!;
      parts--;
      if (at + 1 < parts) {
        const rank = mergeRank(table, bytes, starts[at]!, starts[at + 2]!);
        ranks[at] = rank < 0 ? NO_RANK : rank;
      } else {
        ranks[at] = NO_RANK;
      }
      if (at > 0) {
        const rank = mergeRank(table, bytes, starts[at - 1]!, starts[at + 1]!);
        ranks[at - 1] = rank < 0 ? NO_RANK : rank;
      }
    }
    return parts;
  }
}

/**
 * The same merge in O(n log n): parts form a linked list keyed by their start byte, and a
 * binary min-heap holds candidate pairs keyed by rank * 2^32 + start, so the heap order is
 * exactly the scan's choice (lowest rank, then leftmost). Entries are never removed when a
 * merge changes a pair; a popped entry whose rank no longer matches its part's is skipped.
 * Allocates per call: long pieces are rare and their work dwarfs the allocation. Exported for
 * the test that checks it against the scan.
 */
export function countByHeap(table: RankTable, bytes: Uint8Array, length: number): number {
  const next = new Int32Array(length); // start of the following part, `length` for the last
  const prev = new Int32Array(length); // start of the preceding part, -1 for the first
  const pairRank = new Int32Array(length); // rank of this part merged with the next; NO_RANK if none
  const heap = new Float64Array(3 * length); // <= length - 1 initial entries, <= 2 per merge
  let heapSize = 0;

  const push = (key: number): void => {
    let i = heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]! <= key) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = key;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap[--heapSize]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= heapSize) break;
      if (child + 1 < heapSize && heap[child + 1]! < heap[child]!) child++;
      if (heap[child]! >= last) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  };
  const setPairRank = (start: number, end: number): void => {
    const rank = end > length ? -1 : mergeRank(table, bytes, start, end);
    pairRank[start] = rank < 0 ? NO_RANK : rank;
    if (rank >= 0) push(rank * 0x1_0000_0000 + start);
  };

  for (let i = 0; i < length; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  for (let i = 0; i < length; i++) setPairRank(i, i + 2);

  let parts = length;
  while (heapSize > 0) {
    const key = pop();
    const rank = Math.floor(key / 0x1_0000_0000);
    const start = key - rank * 0x1_0000_0000;
    if (pairRank[start] !== rank) continue; // stale: the part merged or its pair changed
    const absorbed = next[start]!;
    const after = next[absorbed]!;
    next[start] = after;
    if (after < length) prev[after] = start;
    pairRank[absorbed] = NO_RANK; // no longer a part: its queued entries are stale
    parts--;
    setPairRank(start, after < length ? next[after]! : length + 1);
    const before = prev[start]!;
    if (before >= 0) setPairRank(before, after);
  }
  return parts;
}
