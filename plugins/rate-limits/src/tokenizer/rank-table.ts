import { hashAscii, hashBytes } from './hash';

/**
 * The BPE vocabulary (token byte string -> rank) in three flat typed arrays instead of a Map of
 * ~200k JS strings (which costs tens of MB of heap and is traced by every major GC):
 *
 * - `bytes`:   every token's bytes, concatenated in rank order (~1.4 MB for o200k);
 * - `offsets`: token r is bytes[offsets[r], offsets[r + 1]) (0.8 MB);
 * - `slots`:   an open-addressing hash table (linear probing, load factor <= 1/2, 2 MB), each
 *              slot `tag << 18 | (rank + 1)`, 0 when empty. The tag is the hash's top 14 bits,
 *              so most probes that hit another token are rejected without comparing bytes;
 * - `pairs`:   rank of every two-byte token by its two bytes, -1 if none (256 KB): BPE starts
 *              by ranking every adjacent byte pair, the most frequent lookup by far.
 *
 * Immutable once built, so one instance may be shared by every tokenizer in the process.
 */

/** Ranks (+1) live in the low 18 bits of a slot: room for 262,143 tokens. */
const RANK_BITS = 18;
const RANK_MASK = (1 << RANK_BITS) - 1;
const MAX_TOKENS = RANK_MASK - 1;
/** rankOfAscii's answer for text that is not all ASCII. */
export const NOT_ASCII = -2;

export class RankTable {
  /** Number of tokens (ranks are 0 .. size - 1). */
  readonly size: number;
  /** Length of the longest token: longer slices are misses without hashing. */
  readonly maxTokenBytes: number;
  private readonly mask: number;

  private constructor(
    private readonly bytes: Uint8Array,
    private readonly offsets: Uint32Array,
    private readonly slots: Uint32Array,
    private readonly pairs: Int32Array,
    maxTokenBytes: number,
  ) {
    this.size = offsets.length - 1;
    this.mask = slots.length - 1;
    this.maxTokenBytes = maxTokenBytes;
  }

  /** Indexes tokens given as concatenated bytes and rank-ordered offsets (see the class doc). */
  static build(bytes: Uint8Array, offsets: Uint32Array): RankTable {
    const size = offsets.length - 1;
    if (size < 1 || size > MAX_TOKENS) throw new Error(`RankTable: ${size} tokens, expected 1..${MAX_TOKENS}`);
    let capacity = 1;
    while (capacity < size * 2) capacity *= 2;
    const slots = new Uint32Array(capacity);
    const mask = capacity - 1;
    const pairs = new Int32Array(1 << 16).fill(-1);
    let maxTokenBytes = 0;
    for (let rank = 0; rank < size; rank++) {
      const from = offsets[rank]!;
      const to = offsets[rank + 1]!;
      if (to <= from) throw new Error(`RankTable: token ${rank} is empty`);
      maxTokenBytes = Math.max(maxTokenBytes, to - from);
      if (to - from === 2) pairs[(bytes[from]! << 8) | bytes[from + 1]!] = rank;
      const h = hashBytes(bytes, from, to);
      let i = h & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = ((h >>> RANK_BITS) << RANK_BITS) | (rank + 1);
    }
    return new RankTable(bytes, offsets, slots, pairs, maxTokenBytes);
  }

  /** Rank of the token whose bytes are key[start, end), or -1 if that is not a token. */
  rankOf(key: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length === 2) return this.pairs[(key[start]! << 8) | key[start + 1]!]!;
    if (length <= 0 || length > this.maxTokenBytes) return -1;
    const h = hashBytes(key, start, end);
    const tag = h >>> RANK_BITS;
    const { slots, mask, offsets, bytes } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]!;
      if (slot === 0) return -1;
      if (slot >>> RANK_BITS !== tag) continue;
      const rank = (slot & RANK_MASK) - 1;
      const from = offsets[rank]!;
      if (offsets[rank + 1]! - from !== length) continue;
      let j = 0;
      while (j < length && bytes[from + j] === key[start + j]) j++;
      if (j === length) return rank;
    }
  }

  /**
   * rankOf for the UTF-8 of text[start, end), read straight from the string when that is all
   * ASCII (bytes = char codes). NOT_ASCII when it is not and might be a token: the caller then
   * encodes it and asks rankOf. The probe loop repeats rankOf's on purpose: this is the
   * tokenizer's innermost step, and a shared loop would need a callback per byte compared.
   */
  rankOfAscii(text: string, start: number, end: number): number {
    const length = end - start;
    if (length <= 0 || length > this.maxTokenBytes) return -1; // too long to be a token, ASCII or not
    const h = hashAscii(text, start, end);
    if (h < 0) return NOT_ASCII;
    const tag = h >>> RANK_BITS;
    const { slots, mask, offsets, bytes } = this;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = slots[i]!;
      if (slot === 0) return -1;
      if (slot >>> RANK_BITS !== tag) continue;
      const rank = (slot & RANK_MASK) - 1;
      const from = offsets[rank]!;
      if (offsets[rank + 1]! - from !== length) continue;
      let j = 0;
      while (j < length && bytes[from + j] === text.charCodeAt(start + j)) j++;
      if (j === length) return rank;
    }
  }

  /** The bytes of token `rank` (a view into the table: do not modify). */
  tokenBytes(rank: number): Uint8Array {
    if (!Number.isInteger(rank) || rank < 0 || rank >= this.size) throw new RangeError(`no token ${rank}`);
    return this.bytes.subarray(this.offsets[rank], this.offsets[rank + 1]);
  }

  /** Bytes held by the table's arrays (for memory reports). */
  get byteSize(): number {
    return this.bytes.byteLength + this.offsets.byteLength + this.slots.byteLength + this.pairs.byteLength;
  }
}
