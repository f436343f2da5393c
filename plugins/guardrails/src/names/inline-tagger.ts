import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compileFunction } from 'node:vm';
import type { Span } from '../detect/types';
import { fasterBulkMatch, type BulkMatch } from './fast-sweep';
import { directPostTagger, type PostTaggerWorld } from './post-tagger';
import { tagNameSnippets, type Tagger } from './tag-snippets';
import { WARM_UP_SNIPPETS } from './warm-up';

export interface InlineTaggerOptions {
  /** compromise/two's CommonJS build (the worker's workerData.compromisePath). */
  compromisePath: string;
  /** A job is tagged on the event loop only if its expected cost is at most this (ms). */
  maxJobMs: number;
  /** ...and only while inline tagging has used at most this share of the event loop's time. */
  maxShare: number;
  /** Warm-up jobs run in idle turns after loading, before any job goes inline. */
  warmUpRounds: number;
  /** Milliseconds after construction before compromise is loaded (it blocks ~0.5 s). */
  loadDelayMs: number;
  /** Loop time inline tagging may borrow ahead (ms); default BURST_MS. */
  burstMs?: number;
  /** The cost model (tests pass one with fixed answers). */
  cost?: CostModel;
}

/**
 * Off by default (maxJobMs 0: compromise is not even loaded on the main thread). Measured on the
 * shared 2-core dev VM (README: names path): between requests even a one-snippet job costs
 * 0.5-0.65 ms there (compromise's code and data are out of the CPU caches by then), so a cap
 * near 0.3 ms sends nothing inline; with a 3 ms cap nearly every job goes inline, 0.25-0.6 ms
 * faster at p50 than the worker, but each request then blocks the loop for 1.3-2 ms. On costs
 * a ~0.6 s blocking load of compromise and ~10 MB of main-thread heap. Turn it on by passing
 * `inline` to the pool (or `--inline-ms` to the bench).
 */
export const DEFAULT_INLINE_OPTIONS: Omit<InlineTaggerOptions, 'compromisePath' | 'warmUpRounds'> = { maxJobMs: 0, maxShare: 0.1, loadDelayMs: 0 };

/** compromise as far as this uses it. */
type Compromise = Tagger & { plugin(plugin: unknown): unknown; methods(): { one: { bulkMatch: BulkMatch } }; world(): PostTaggerWorld };

/**
 * A private copy of compromise/two, with the faster sweep and the direct post-tagger
 * installed (as in the worker). Private because the copy in Node's module cache is shared with
 * the rest of the process: installing methods on it would change compromise for other code,
 * and other code's plugins would change this tagger.
 */
export function loadPrivateCompromise(path: string): Compromise {
  const module = { exports: {} as unknown };
  const body = compileFunction(readFileSync(path, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: path });
  body.call(module.exports, module.exports, createRequire(path), module, path, dirname(path));
  const nlp = module.exports as Compromise;
  nlp.plugin({ methods: { one: { bulkMatch: fasterBulkMatch(nlp.methods().one.bulkMatch) } } });
  const postTagger = directPostTagger(nlp.world());
  if (postTagger !== null) nlp.plugin({ compute: { postTagger } });
  return nlp;
}

/** A job's size for the cost model: its characters as tagged (snippets joined by blank lines). */
const jobChars = (snippets: readonly string[]): number => snippets.reduce((n, s) => n + s.length + 2, 0);

/**
 * Expected cost of a job from its size: cost = fixed + perChar x chars, fitted by least squares
 * over recent jobs (older ones fade out). The fixed part is large and varies with the machine:
 * a call after an idle gap finds compromise's code and data out of the CPU caches (measured
 * here: a 30-character job 0.1 ms on a quiet box and hot caches, 0.65 ms between other jobs'
 * bursts on a busy one), so a fixed cost per character would misjudge both small and large jobs.
 */
export class CostModel {
  private n = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;
  private samples = 0;

  constructor(private readonly keep = 0.97) {}

  get measured(): number {
    return this.samples;
  }

  add(chars: number, ms: number): void {
    const k = this.keep;
    this.n = this.n * k + 1;
    this.sx = this.sx * k + chars;
    this.sy = this.sy * k + ms;
    this.sxx = this.sxx * k + chars * chars;
    this.sxy = this.sxy * k + chars * ms;
    this.samples++;
  }

  /** Expected ms for a job of `chars`; Infinity before any measurement. */
  expect(chars: number): number {
    if (this.n === 0) return Infinity;
    const mx = this.sx / this.n;
    const my = this.sy / this.n;
    const variance = this.sxx / this.n - mx * mx;
    // Too little spread in sizes for a slope: scale the mean cost by size.
    if (variance < 25) return mx > 0 ? (my * Math.max(chars, mx)) / mx : my;
    const slope = Math.max(0, (this.sxy / this.n - mx * my) / variance);
    const fixed = Math.max(0, my - slope * mx);
    return fixed + slope * chars;
  }
}
/** Loop time inline tagging may borrow ahead (ms), refilled at maxShare per ms. */
const BURST_MS = 20;
/**
 * An estimate that keeps every job away from this thread would never be corrected (a busy
 * spell passes, the estimate stays high): once it is this old, one job of up to PROBE_FACTOR
 * times maxJobMs expected goes inline to measure again.
 */
const PROBE_AFTER_MS = 500;
const PROBE_FACTOR = 2;

/**
 * Tags small jobs on the event loop instead of the worker (see README: names path), which saves
 * the thread hop (two wake-ups and two messages, 0.4-0.6 ms per job on the dev VM). The loop is
 * blocked no longer than `maxJobMs` per job (expected; a probe may take up to PROBE_FACTOR times
 * that) and, over time, no more than `maxShare` of its time; past that, jobs go to the worker.
 *
 * Expected cost comes from CostModel, fitted to the jobs tagged on this thread (so it rises when
 * the machine is busy and fewer jobs qualify). compromise is loaded `loadDelayMs` after
 * construction, then warmed up one job per timer turn; until then every job goes to the
 * worker. Results are the worker's (same functions, same compromise build). Nothing here keeps
 * the process alive.
 */
export class InlineNamesTagger {
  private nlp: Compromise | null = null;
  private ready = false;
  private closed = false;
  private readonly cost: CostModel;
  private readonly burstMs: number;
  private measuredAt = 0;
  private tokens: number;
  private refilledAt = performance.now();
  private readonly timer: NodeJS.Timeout;
  private warmUp: NodeJS.Timeout | null = null;
  private settleReady: (ready: boolean) => void = () => {};
  /** Resolves true once jobs may go inline (loaded and warmed up), false if that never happens. */
  readonly whenReady: Promise<boolean>;
  /** Jobs tagged here and jobs left to the worker, for tests and the bench. */
  inlineJobs = 0;
  passedJobs = 0;

  constructor(private readonly options: InlineTaggerOptions) {
    this.cost = options.cost ?? new CostModel();
    this.burstMs = options.burstMs ?? BURST_MS;
    this.tokens = this.burstMs;
    this.whenReady = new Promise((resolve) => (this.settleReady = resolve));
    this.timer = setTimeout(() => this.load(), options.loadDelayMs);
    this.timer.unref();
  }

  /** What a job of `chars` characters (as tagged) is expected to cost here, in ms. */
  expectedMs(chars: number): number {
    return this.cost.expect(chars);
  }

  /** Spans per snippet (the wanted types only), or null when the job should go to the worker. */
  tag(snippets: readonly string[], types: readonly string[], timeoutMs: number): Span[][] | null {
    const results = this.tryTag(snippets, types, timeoutMs);
    if (results === null) this.passedJobs++;
    else this.inlineJobs++;
    return results;
  }

  private tryTag(snippets: readonly string[], types: readonly string[], timeoutMs: number): Span[][] | null {
    if (!this.ready || this.nlp === null) return null;
    const now = performance.now();
    this.tokens = Math.min(this.burstMs, this.tokens + (now - this.refilledAt) * this.options.maxShare);
    this.refilledAt = now;
    const chars = jobChars(snippets);
    const expected = this.cost.expect(chars);
    const probe = now - this.measuredAt > PROBE_AFTER_MS && expected <= PROBE_FACTOR * this.options.maxJobMs;
    if ((expected > this.options.maxJobMs && !probe) || expected > timeoutMs || expected > this.tokens) return null;
    let results;
    try {
      results = tagNameSnippets(this.nlp, snippets);
    } catch {
      // The worker may still manage (and reports its own error if not).
      return null;
    }
    const elapsed = this.measure(now, chars);
    this.tokens -= elapsed;
    const wanted = new Set(types);
    return results.map((spans) => spans.filter((s) => wanted.has(s.type)));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.warmUp !== null) clearTimeout(this.warmUp);
    this.nlp = null;
    this.ready = false;
    this.settleReady(false);
  }

  private measure(startedAt: number, chars: number): number {
    this.measuredAt = performance.now();
    const elapsed = this.measuredAt - startedAt;
    this.cost.add(chars, elapsed);
    return elapsed;
  }

  private load(): void {
    if (this.closed) return;
    try {
      this.nlp = loadPrivateCompromise(this.options.compromisePath);
    } catch {
      this.settleReady(false);
      return;
    }
    let left = Math.max(1, this.options.warmUpRounds);
    const step = (): void => {
      this.warmUp = null;
      if (this.closed || this.nlp === null) return;
      // 1-6 snippets: the sizes the cost model has to tell apart.
      const from = left % WARM_UP_SNIPPETS.length;
      const job = WARM_UP_SNIPPETS.slice(from, from + 1 + (left % 6));
      const startedAt = performance.now();
      tagNameSnippets(this.nlp, job);
      this.measure(startedAt, jobChars(job));
      // A timer, not setImmediate: an unref'd immediate runs only when something else wakes
      // the loop, and a ref'd one would keep the process alive.
      if (--left > 0) {
        this.warmUp = setTimeout(step, 0);
        this.warmUp.unref();
      } else {
        this.ready = true;
        this.settleReady(true);
      }
    };
    step();
  }
}
