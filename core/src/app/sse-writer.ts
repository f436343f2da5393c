import type { ServerResponse } from 'node:http';
import type { SseWriter } from '../spec/plugin';

/** Above this many pending characters a batch is written at once instead of at the end of the turn. */
const FLUSH_AT_CHARS = 64 * 1024;

/**
 * An SSE writer that batches: every frame written in one event-loop turn (typically everything
 * decoded from one upstream read) leaves in ONE `res.write` — one chunked-encoding frame and one
 * syscall instead of one per frame — and the response headers ride along with the first batch
 * instead of costing a write of their own. Headers still go out within the turn even when no
 * frame follows, so a client sees the 200 as soon as the upstream answered.
 *
 * Back-pressure: once a batch write reports a full socket buffer, `data()` returns a promise that
 * settles on 'drain' (or 'close'), so a fast producer waits for a slow client. Otherwise it
 * returns nothing: there is nothing to wait for.
 */
export class BatchedSseWriter implements SseWriter {
  private pending = '';
  private flushScheduled = false;
  private drained: Promise<void> | null = null;
  /** `res.headersSent` turns true at writeHead, before anything reached the socket: track it here. */
  private wroteAny = false;

  constructor(
    private readonly res: ServerResponse,
    /** Sees each payload as sent (the project's opt-in body capture). */
    private readonly onPayload: ((payload: string) => void) | null = null,
  ) {
    this.scheduleFlush();
  }

  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  data(payload: string): void | Promise<void> {
    if (this.closed) return;
    this.onPayload?.(payload);
    this.pending += `data: ${payload}\n\n`;
    if (this.pending.length >= FLUSH_AT_CHARS) this.flush();
    else this.scheduleFlush();
    return this.drained ?? undefined;
  }

  end(): void {
    if (this.closed) return;
    const rest = this.pending;
    this.pending = '';
    if (rest) this.res.end(rest);
    else this.res.end();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flushNow);
  }

  private readonly flushNow = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  private flush(): void {
    if (this.closed) {
      this.pending = '';
      return;
    }
    if (!this.pending) {
      if (!this.wroteAny) this.res.flushHeaders();
      this.wroteAny = true;
      return;
    }
    const batch = this.pending;
    this.pending = '';
    this.wroteAny = true;
    if (this.res.write(batch) || this.drained) return;
    this.drained = new Promise<void>((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.res.off('close', done);
        this.drained = null;
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}
