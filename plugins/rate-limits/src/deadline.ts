/** Marker for a call that did not settle before its deadline. */
export const TIMED_OUT: unique symbol = Symbol('timed-out');

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown } | typeof TIMED_OUT;

/**
 * Settles `work` or gives up after `ms`. A dead or partitioned Redis can leave a command
 * pending for seconds (reconnect, offline queue); the request path must never wait on that.
 * The underlying call is not cancelled (Redis commands cannot be), only no longer awaited.
 */
export async function settleWithin<T>(work: Promise<T>, ms: number): Promise<Settled<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      work.then(
        (value): Settled<T> => ({ ok: true, value }),
        (error: unknown): Settled<T> => ({ ok: false, error }),
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
