import { randomUUID } from 'node:crypto';
import type { RedisClient } from '@portcullis/core';

/** Releases a held lock (only if it is still ours). Never throws. */
export type ReleaseLock = () => Promise<void>;

/**
 * The outcome of trying to take a connection's refresh lock:
 *  - `acquired`: refresh now, then release;
 *  - `held`: another gateway instance is refreshing; wait for its result in the store;
 *  - `unavailable`: Redis did not answer in time; refresh anyway (a stalled lock service must not
 *    stall every proxied request), accepting the rare duplicate refresh it was there to prevent.
 */
export type LockAttempt = { state: 'acquired'; release: ReleaseLock } | { state: 'held' } | { state: 'unavailable' };

/** Deletes the key only when it still holds our token: an expired lock re-taken by another instance is left alone. */
const RELEASE_IF_OURS = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * A lock per OAuth connection across gateway instances, so one refresh runs at a time for a
 * connection everywhere. Providers that rotate refresh tokens (GitHub Apps, Google, Microsoft)
 * accept each refresh token once: two instances refreshing together means the second is refused,
 * and the connection would be marked broken although the first succeeded. The in-process single
 * flight covers one instance; this covers the others. The lock expires on its own (ttl), so a
 * crashed holder cannot block refreshes for longer than one token request.
 */
export class RedisRefreshLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: { keyPrefix: string; timeoutMs: number },
  ) {}

  async tryAcquire(connectionId: string, ttlMs: number): Promise<LockAttempt> {
    const key = `${this.options.keyPrefix}${connectionId}`;
    const token = randomUUID();
    const answer = await this.bounded(this.redis.set(key, token, 'PX', ttlMs, 'NX'));
    if (answer === undefined) return { state: 'unavailable' };
    if (answer !== 'OK') return { state: 'held' };
    return {
      state: 'acquired',
      release: async () => {
        await this.bounded(this.redis.eval(RELEASE_IF_OURS, 1, key, token));
      },
    };
  }

  /** The command's answer, or undefined when Redis failed or took longer than the bound. */
  private async bounded<T>(command: Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.options.timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([command.catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
