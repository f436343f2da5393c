import { O200kTokenCounter } from './tokenizer';

/** Texts shorter than this are tokenized directly: cheaper than hashing them into the cache. */
const MIN_CACHED_CHARS = 64;

export interface TokenCountCacheOptions {
  /** Most characters of text held as keys at once (memory bound). */
  maxChars?: number;
  /** The tokenizer (tests pass a counting spy); this cache's own o200k BPE counter by default. */
  count?: (text: string) => number;
}

/**
 * Token counts of recently seen texts, least recently used out first. Chat clients resend the
 * whole conversation on every turn and a system prompt on every request, so most of a prompt's
 * text was tokenized moments ago; BPE tokenization is the single most expensive step of a TPM
 * check (tens of microseconds per KB), a Map lookup is not. The count is exact: same text, same
 * tokenizer, same answer. One instance per plugin runtime; held text is bounded by maxChars.
 */
export class TokenCountCache {
  private readonly counts = new Map<string, number>();
  private heldChars = 0;
  private readonly maxChars: number;
  private readonly tokenize: (text: string) => number;

  constructor(options: TokenCountCacheOptions = {}) {
    this.maxChars = options.maxChars ?? 4_000_000;
    this.tokenize = options.count ?? new O200kTokenCounter().count;
  }

  /** Tokens in `text`, from the cache when this exact text was counted recently. */
  readonly count = (text: string): number => {
    if (text.length < MIN_CACHED_CHARS || text.length > this.maxChars / 4) return this.tokenize(text);
    const hit = this.counts.get(text);
    if (hit !== undefined) {
      // Re-insert to mark it most recently used (Map iteration order is insertion order).
      this.counts.delete(text);
      this.counts.set(text, hit);
      return hit;
    }
    const tokens = this.tokenize(text);
    this.counts.set(text, tokens);
    this.heldChars += text.length;
    this.evict();
    return tokens;
  };

  private evict(): void {
    for (const oldest of this.counts.keys()) {
      if (this.heldChars <= this.maxChars) return;
      this.counts.delete(oldest);
      this.heldChars -= oldest.length;
    }
  }
}
