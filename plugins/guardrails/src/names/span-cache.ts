import { createHash } from 'node:crypto';
import type { Span } from '../detect/types';

/**
 * Name spans per snippet, remembered across requests: chat clients resend the system prompt
 * and the whole history every turn, so most snippets of a request were tagged moments ago
 * (a hit costs a hash, ~2 µs; a miss ~15 µs per character in the worker).
 *
 * Owned by one plugin instance; bounded (least recently used goes first). Keys are SHA-256
 * digests of the snippet, so the cache holds no prompt text (the names stay out of memory once
 * the request is done), and a crafted snippet cannot collide with another one to skip the
 * tagger. Values are types and offsets only.
 */
export class NameSpanCache {
  private readonly entries = new Map<string, readonly Span[]>();

  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`NameSpanCache: maxEntries must be a positive integer, got ${maxEntries}`);
  }

  static keyOf(snippet: string): string {
    return createHash('sha256').update(snippet).digest('base64');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): readonly Span[] | undefined {
    const spans = this.entries.get(key);
    if (spans !== undefined) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.entries.delete(key);
      this.entries.set(key, spans);
    }
    return spans;
  }

  set(key: string, spans: readonly Span[]): void {
    this.entries.delete(key);
    this.entries.set(key, spans);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
