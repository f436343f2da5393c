import { BpeCounter } from './bpe';
import { startsWithBom } from './merge-rank';
import { o200kRankTable } from './o200k-ranks';
import { createPieceRegex } from './pre-tokenizer';
import { NOT_ASCII, type RankTable } from './rank-table';
import { Utf8Scratch } from './utf8';

/**
 * Exact o200k_base (GPT-4o) token counts, equal to gpt-tokenizer's `countTokens` with
 * special-token strings such as "<|endoftext|>" counted as the ordinary text they are (in a
 * request body they are text; gpt-tokenizer's default throws on them instead).
 *
 * Per piece of the pre-tokenizer: a piece that is itself a token counts 1 (most words), else
 * BPE splits its bytes. The vocabulary is the shared, immutable RankTable; everything mutable
 * (the regex's lastIndex, scratch buffers) belongs to the instance, so give each owner (a
 * plugin runtime, a cache) its own. Not re-entrant, which a synchronous count never needs.
 */
export class O200kTokenCounter {
  private table: RankTable | undefined;
  private readonly pieces = createPieceRegex();
  private readonly utf8 = new Utf8Scratch();
  private readonly bpe = new BpeCounter();

  /** @param table the vocabulary; the shared o200k table, loaded on the first count, by default */
  constructor(table?: RankTable) {
    this.table = table;
  }

  /** Tokens in `text`. */
  readonly count = (text: string): number => {
    const table = (this.table ??= o200kRankTable());
    const { pieces, utf8, bpe } = this;
    let tokens = 0;
    let start = 0;
    while (start < text.length) {
      pieces.lastIndex = start;
      if (!pieces.test(text)) throw new Error(`o200k pre-tokenizer matched nothing at ${start}`); // see createPieceRegex
      const end = pieces.lastIndex;
      const rank = table.rankOfAscii(text, start, end);
      if (rank >= 0) {
        tokens++; // the piece is a token (most English words)
      } else {
        utf8.encode(text, start, end);
        // Non-ASCII pieces are looked up once encoded. gpt-tokenizer looks whole pieces up as JS
        // strings, and a piece with an unpaired surrogate or a leading U+FEFF is never among its
        // keys, so such a piece goes to BPE there even if its bytes are a token: same here. (The
        // BOM case changes counts; the surrogate one does not for o200k today, where every token
        // holding U+FFFD merges back whole, but it keeps the two paths identical.)
        const isToken =
          rank === NOT_ASCII &&
          !utf8.hadLoneSurrogate &&
          !startsWithBom(utf8.bytes, 0, utf8.length) &&
          table.rankOf(utf8.bytes, 0, utf8.length) >= 0;
        tokens += isToken ? 1 : bpe.count(table, utf8.bytes, utf8.length);
      }
      start = end;
    }
    utf8.release();
    return tokens;
  };
}
