import type { RedisClient } from '@portcullis/core';

/**
 * A dedicated connection for counters, cloned from the host's client (same address, auth, TLS,
 * db) but configured to fail instead of wait:
 *  - no offline queue: while disconnected a command fails at once instead of piling up;
 *  - no retries / no resend after reconnect: a counter increment that was cut off must not be
 *    replayed minutes later into a recovered Redis (it would eat capacity nobody used);
 *  - a command timeout as a second line behind the callers' own deadlines.
 * Reconnection itself stays automatic (ioredis retry strategy), so recovery needs no action.
 *
 * `lazyConnect: false` is explicit because duplicate() copies the base client's options: the
 * host opens its client with lazyConnect, and a lazy client without an offline queue never
 * connects (the first command, which would trigger the connection, fails at once instead).
 */
export function openFailFastRedis(base: RedisClient, commandTimeoutMs: number): RedisClient {
  return base.duplicate({
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
  });
}

/** Waits (bounded) for the first connection so the first requests use shared counters. */
export async function waitUntilReady(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return true;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => finish(false), timeoutMs);
    timer.unref();
    const onReady = () => finish(true);
    function finish(ready: boolean) {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    }
    client.on('ready', onReady);
  });
}

/** Closes the dedicated connection without waiting on a dead server. */
export function closeQuietly(client: RedisClient): void {
  client.disconnect(false);
}
