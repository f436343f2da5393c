import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RedisClient } from '@portcullis/core';
import { settleWithin, TIMED_OUT } from './deadline';
import { LocalWindow } from './local-window';

export type WindowName = 'rpm' | 'rph' | 'tpm';
export type Metric = 'requests' | 'tokens';
export type FailMode = 'open' | 'closed';
export type Backend = 'shared' | 'local';

export const WINDOW_SECONDS: Record<WindowName, number> = { rpm: 60, rph: 3600, tpm: 60 };
export const WINDOW_METRIC: Record<WindowName, Metric> = { rpm: 'requests', rph: 'requests', tpm: 'tokens' };

export type ConsumeOutcome =
  | { status: 'admitted'; backend: Backend; limit: number; remaining: number; msBeforeReset: number }
  | { status: 'rejected'; backend: Backend; limit: number; remaining: 0; msBeforeReset: number }
  | { status: 'unavailable' };

export interface WindowLimiterOptions {
  name: WindowName;
  limit: number;
  /** Unique per (policy id, version, window) so a changed policy starts with clean counters. */
  key: string;
  keyPrefix: string;
  failMode: FailMode;
  redis: RedisClient | null;
  redisTimeoutMs: number;
  onSharedFailure?: (reason: 'not_ready' | 'timeout' | 'error', error?: unknown) => void;
  /** The clock of the in-process window (the plugin's; Date.now by default). */
  now?: () => number;
}

/**
 * One fixed window (e.g. 100 requests per 60 s) of one policy, counted in Redis when the host
 * has Redis (shared by every gateway instance) and in this process otherwise.
 *
 * The in-process window doubles as the insurance limiter for fail-open policies. The fallback
 * is done here rather than through rate-limiter-flexible's `insuranceLimiter` option for two
 * reasons: that option does not cover a call that simply hangs (it only sees errors), and it
 * hides which store answered, so a later refund could land in the wrong counter.
 *
 * Without Redis every call answers synchronously (no promise): the admission of a request with
 * only local windows then costs no await at all.
 */
export class WindowLimiter {
  readonly name: WindowName;
  readonly metric: Metric;
  readonly limit: number;
  private readonly key: string;
  private readonly shared: RateLimiterRedis | null;
  private readonly local: LocalWindow;
  private readonly redis: RedisClient | null;

  constructor(private readonly options: WindowLimiterOptions) {
    this.name = options.name;
    this.metric = WINDOW_METRIC[options.name];
    this.limit = options.limit;
    this.key = options.key;
    this.redis = options.redis;
    const duration = WINDOW_SECONDS[options.name];
    this.local = new LocalWindow(options.limit, duration * 1000, options.now ?? Date.now);
    this.shared = options.redis
      ? new RateLimiterRedis({ keyPrefix: options.keyPrefix, points: options.limit, duration, storeClient: options.redis, rejectIfRedisNotReady: true })
      : null;
  }

  /** Adds `points` and says whether the window still had room for them. */
  consume(points: number): ConsumeOutcome | Promise<ConsumeOutcome> {
    if (!this.shared) return this.fromLocal(points);
    if (!this.sharedReady()) return this.fallback(points, 'not_ready');
    return this.consumeShared(this.shared, points);
  }

  /** Gives points back (a refused request, or a reservation larger than actual usage). */
  refund(points: number, backend: Backend): void | Promise<void> {
    if (points <= 0) return;
    return this.adjust(points, backend, 'reward');
  }

  /** Charges extra points (actual usage above the reservation). */
  charge(points: number, backend: Backend): void | Promise<void> {
    if (points <= 0) return;
    return this.adjust(points, backend, 'penalty');
  }

  private async consumeShared(shared: RateLimiterRedis, points: number): Promise<ConsumeOutcome> {
    const settled = await settleWithin(shared.consume(this.key, points), this.options.redisTimeoutMs);
    if (settled === TIMED_OUT) return this.fallback(points, 'timeout');
    if (settled.ok) return this.admitted(settled.value, 'shared');
    if (settled.error instanceof RateLimiterRes) return this.rejected(settled.error, 'shared');
    return this.fallback(points, 'error', settled.error);
  }

  private adjust(points: number, backend: Backend, op: 'reward' | 'penalty'): void | Promise<void> {
    if (backend === 'local' || !this.shared) {
      this.local.adjust(op === 'reward' ? -points : points);
      return;
    }
    // Best effort: a lost adjustment only skews one window and expires with it.
    if (!this.sharedReady()) return;
    return settleWithin(this.shared[op](this.key, points), this.options.redisTimeoutMs).then(() => undefined);
  }

  private sharedReady(): boolean {
    return this.redis?.status === 'ready';
  }

  private fallback(points: number, reason: 'not_ready' | 'timeout' | 'error', error?: unknown): ConsumeOutcome {
    this.options.onSharedFailure?.(reason, error);
    if (this.options.failMode === 'closed') return { status: 'unavailable' };
    return this.fromLocal(points);
  }

  private fromLocal(points: number): ConsumeOutcome {
    const { admitted, remaining, msBeforeReset } = this.local.consume(points);
    return admitted
      ? { status: 'admitted', backend: 'local', limit: this.limit, remaining, msBeforeReset }
      : { status: 'rejected', backend: 'local', limit: this.limit, remaining: 0, msBeforeReset };
  }

  private admitted(res: RateLimiterRes, backend: Backend): ConsumeOutcome {
    return { status: 'admitted', backend, limit: this.limit, remaining: res.remainingPoints, msBeforeReset: res.msBeforeNext };
  }

  private rejected(res: RateLimiterRes, backend: Backend): ConsumeOutcome {
    return { status: 'rejected', backend, limit: this.limit, remaining: 0, msBeforeReset: res.msBeforeNext };
  }
}
