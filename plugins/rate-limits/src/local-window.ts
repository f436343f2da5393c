/**
 * One fixed window counted in this process: the whole state of an in-memory limit is a count
 * and the time its window ends. It replaces rate-limiter-flexible's RateLimiterMemory on the
 * request path, which keeps a store of keys, a timer per window, a result object and a promise
 * per call; a WindowLimiter has exactly one key, so none of that is needed, and a synchronous
 * answer lets an all-local admission finish without a single await.
 *
 * Same semantics as the limiter it replaces: increment first, then compare (a refused consume
 * was counted and is refunded by the caller), and a window starts at the first consume after the
 * previous one ended.
 */
export interface LocalConsume {
  admitted: boolean;
  remaining: number;
  msBeforeReset: number;
}

export class LocalWindow {
  private used = 0;
  private endsAt = 0;

  constructor(
    private readonly limit: number,
    private readonly durationMs: number,
    private readonly now: () => number,
  ) {}

  consume(points: number): LocalConsume {
    const at = this.now();
    if (at >= this.endsAt) {
      this.used = 0;
      this.endsAt = at + this.durationMs;
    }
    this.used += points;
    return { admitted: this.used <= this.limit, remaining: Math.max(0, this.limit - this.used), msBeforeReset: this.endsAt - at };
  }

  /** Moves the count by `points` (negative gives back); nothing to adjust once the window ended. */
  adjust(points: number): void {
    if (this.now() >= this.endsAt) return;
    this.used = Math.max(0, this.used + points);
  }
}
