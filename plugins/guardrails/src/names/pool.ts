import { Worker } from 'node:worker_threads';
import type { Span } from '../detect/types';
import { DEFAULT_INLINE_OPTIONS, InlineNamesTagger, type InlineTaggerOptions } from './inline-tagger';

export interface NamesPoolOptions {
  /** Worker threads (1-2: the machine's cores are shared with the event loop). */
  size: number;
  /** Jobs waiting for a worker beyond this are refused at once (treated like a timeout). */
  maxQueue: number;
  /** Worker code (eval mode) and its workerData; tests swap in a slow or broken worker. */
  source: string;
  workerData: unknown;
  /** A worker still busy this long after its job's deadline is replaced (it may be stuck). */
  stuckAfterMs?: number;
  /**
   * Small jobs tagged on the event loop instead (inline-tagger.ts), with these settings over
   * DEFAULT_INLINE_OPTIONS and workerData's compromisePath and warmUpRounds. Absent, or a
   * maxJobMs of 0: off, every job goes to a worker.
   */
  inline?: Partial<Omit<InlineTaggerOptions, 'compromisePath'>>;
}

export type NamesOutcome =
  | { ok: true; spans: Span[][] }
  | { ok: false; reason: 'timeout' | 'queue_full' | 'error' | 'closed' };

interface Job {
  id: number;
  snippets: string[];
  types: string[];
  deadline: number;
  settle(outcome: NamesOutcome): void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  job: Job | null;
  stuckTimer: NodeJS.Timeout | null;
}

/**
 * A small worker_threads pool for name detection, owned by one plugin instance: bounded queue,
 * a deadline per job, and replacement of workers that stop answering. A job whose deadline
 * passes settles as 'timeout' at once (the caller applies the policy's onTimeout); its result,
 * if it arrives later, is dropped.
 *
 * A job the inline tagger takes (small enough, event loop not too busy: inline-tagger.ts) is
 * answered on the spot instead, without the thread hop.
 */
export class NamesWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Tags the jobs that qualify on the event loop; null when off. */
  readonly inline: InlineNamesTagger | null;

  constructor(private readonly options: NamesPoolOptions) {
    for (let i = 0; i < options.size; i++) this.slots.push(this.spawn());
    const data = (typeof options.workerData === 'object' && options.workerData !== null ? options.workerData : {}) as { compromisePath?: unknown; warmUpRounds?: unknown };
    const inline = { ...DEFAULT_INLINE_OPTIONS, warmUpRounds: Number(data.warmUpRounds) || 0, ...options.inline };
    this.inline =
      options.inline !== undefined && inline.maxJobMs > 0 && typeof data.compromisePath === 'string'
        ? new InlineNamesTagger({ ...inline, compromisePath: data.compromisePath })
        : null;
  }

  analyze(snippets: string[], types: string[], timeoutMs: number): Promise<NamesOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'closed' });
    if (snippets.length === 0) return Promise.resolve({ ok: true, spans: [] });
    // Not queued, not timed: it is done by the time this returns (and it is not counted
    // against maxQueue, which bounds jobs waiting for a worker).
    const inline = this.inline?.tag(snippets, types, timeoutMs) ?? null;
    if (inline !== null) return Promise.resolve({ ok: true, spans: inline });
    if (this.queue.length >= this.options.maxQueue && !this.slots.some((s) => s.job === null)) {
      return Promise.resolve({ ok: false, reason: 'queue_full' });
    }
    return new Promise<NamesOutcome>((resolve) => {
      let settled = false;
      const job: Job = {
        id: this.nextId++,
        snippets,
        types,
        deadline: Date.now() + timeoutMs,
        settle: (outcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(job.timer);
          resolve(outcome);
        },
        timer: setTimeout(() => {
          const queued = this.queue.indexOf(job);
          if (queued >= 0) this.queue.splice(queued, 1);
          job.settle({ ok: false, reason: 'timeout' });
        }, timeoutMs),
      };
      this.queue.push(job);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.inline?.close();
    for (const job of this.queue.splice(0)) job.settle({ ok: false, reason: 'closed' });
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.stuckTimer !== null) clearTimeout(slot.stuckTimer);
        slot.job?.settle({ ok: false, reason: 'closed' });
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const worker = new Worker(this.options.source, { eval: true, workerData: this.options.workerData });
    // The pool must never keep the process alive on its own.
    worker.unref();
    const slot: Slot = { worker, job: null, stuckTimer: null };
    worker.on('message', (msg: unknown) => this.onMessage(slot, msg));
    worker.on('error', () => this.replace(slot, 'error'));
    worker.on('exit', () => {
      if (!this.closed && this.slots.includes(slot)) this.replace(slot, 'error');
    });
    return slot;
  }

  private replace(slot: Slot, reason: 'error' | 'timeout'): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    if (slot.stuckTimer !== null) clearTimeout(slot.stuckTimer);
    slot.job?.settle({ ok: false, reason });
    this.slots.splice(index, 1);
    void slot.worker.terminate();
    this.slots.push(this.spawn());
    this.dispatch();
  }

  private onMessage(slot: Slot, msg: unknown): void {
    const job = slot.job;
    slot.job = null;
    if (slot.stuckTimer !== null) clearTimeout(slot.stuckTimer);
    slot.stuckTimer = null;
    if (job !== null && isReply(msg) && msg.id === job.id) {
      job.settle(msg.results === undefined ? { ok: false, reason: 'error' } : { ok: true, spans: msg.results });
    }
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job !== null) continue;
      // Skip jobs whose deadline already passed while they queued.
      let job = this.queue.shift();
      while (job !== undefined && Date.now() >= job.deadline) job = this.queue.shift();
      if (job === undefined) return;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, snippets: job.snippets, types: job.types });
      const stuckAfter = Math.max(0, job.deadline - Date.now()) + (this.options.stuckAfterMs ?? 2000);
      slot.stuckTimer = setTimeout(() => this.replace(slot, 'timeout'), stuckAfter);
      slot.stuckTimer.unref();
    }
  }
}

interface Reply {
  id: number;
  results?: Span[][];
  error?: string;
}
function isReply(msg: unknown): msg is Reply {
  return typeof msg === 'object' && msg !== null && typeof (msg as { id?: unknown }).id === 'number';
}
