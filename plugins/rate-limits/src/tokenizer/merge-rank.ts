import type { RankTable } from './rank-table';
import { isWellFormedUtf8 } from './utf8';

/**
 * The rank BPE sees for a byte slice, reproducing one quirk of gpt-tokenizer (3.4.0) so that
 * counts stay equal to its countTokens. gpt-tokenizer looks a slice up by decoding it with
 * TextDecoder when it is well-formed UTF-8, and TextDecoder strips a leading byte order mark
 * (EF BB BF). So a slice that starts with a BOM is looked up as the rest of the slice, and the
 * nine o200k tokens that start with a BOM are never produced by a merge: "\uFEFF" counts as 2
 * tokens there, 1 in tiktoken. Everything else is a plain lookup.
 */
export function mergeRank(table: RankTable, bytes: Uint8Array, start: number, end: number): number {
  if (bytes[start] === 0xef && end - start >= 3 && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) {
    if (isWellFormedUtf8(bytes, start, end)) {
      const rest = start + 3;
      // An empty rest, or one starting with another BOM, matches no string-keyed token there.
      if (rest === end || startsWithBom(bytes, rest, end)) return -1;
      return table.rankOf(bytes, rest, end);
    }
  }
  return table.rankOf(bytes, start, end);
}

export function startsWithBom(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf;
}
