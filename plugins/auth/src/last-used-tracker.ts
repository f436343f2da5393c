import type { Logger, Store } from '@portcullis/core';

/**
 * lastUsedAt is useful to operators but must not cost a write per request: remember the
 * latest use per token in memory and write them in one pass every interval (and at shutdown).
 */
export class LastUsedTracker {
  private pending = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  touch(tokenId: string, at: string): void {
    this.pending.set(tokenId, at);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    for (const [id, at] of batch) {
      try {
        await this.store.tokens.update(id, { lastUsedAt: at });
      } catch (err) {
        this.logger.warn({ err, tokenId: id }, 'could not record token lastUsedAt');
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
