import type { Logger } from '../spec/plugin';
import type { RequestLogRecord, RequestLogStore } from '../spec/store';

export interface LogQueueOptions {
  /** Records held in memory at most; beyond that new records are dropped and counted. */
  maxQueued: number;
  /** Records written per batch (one transaction / bulk insert). */
  batchSize: number;
  /** Longest a record waits before its batch is written (ms). */
  flushIntervalMs: number;
}

export const DEFAULT_LOG_QUEUE_OPTIONS: LogQueueOptions = { maxQueued: 20_000, batchSize: 500, flushIntervalMs: 250 };

/**
 * Request logs leave the hot path here: enqueue is O(1) and never awaits the store. A timer
 * writes batches; a bounded queue means a slow store costs dropped log lines (counted and
 * reported), never gateway memory or latency.
 */
export class RequestLogQueue {
  private queue: RequestLogRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  dropped = 0;
  written = 0;

  constructor(
    private readonly store: RequestLogStore,
    private readonly logger: Logger,
    private readonly options: LogQueueOptions = DEFAULT_LOG_QUEUE_OPTIONS,
  ) {}

  enqueue(record: RequestLogRecord): void {
    if (this.queue.length >= this.options.maxQueued) {
      this.dropped += 1;
      if (this.dropped === 1 || this.dropped % 1000 === 0) this.logger.warn({ dropped: this.dropped }, 'request log queue full; dropping records');
      return;
    }
    this.queue.push(record);
    if (this.queue.length >= this.options.batchSize) void this.flushSoon(0);
    else if (!this.timer) this.flushSoon(this.options.flushIntervalMs);
  }

  private flushSoon(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay);
    this.timer.unref();
  }

  /** Writes everything queued so far (also used at shutdown). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.batchSize);
      this.writing = this.store.appendMany(batch).then(
        () => {
          this.written += batch.length;
        },
        (err: unknown) => {
          this.dropped += batch.length;
          this.logger.error({ err, records: batch.length }, 'writing request logs failed');
        },
      );
      await this.writing;
      this.writing = null;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}
