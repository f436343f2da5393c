/**
 * The soak's memory rule. The first 20% of the run is warm-up (JIT, pools, caches and the request
 * log filling to their working size), and at least the ramp: the slow streams open over one
 * stream's length and reach steady state after one full turnover, two lengths plus one sample
 * (the 5-minute default: 60 s either way). Warm-up is not judged. After it, RSS must be flat: the mean of
 * the first post-warm-up window against the mean of the last window, each window one minute or
 * half of the post-warm-up time when the run is shorter. Drift is (end - start) / start; growth
 * above 10% fails, shrinking does not (a leak only grows).
 */
export const WARMUP_SHARE = 0.2;
export const MAX_DRIFT_PCT = 10;
const WINDOW_MS = 60_000;

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

export const warmupFor = (runMs, rampMs) => Math.max(runMs * WARMUP_SHARE, rampMs);

/** `samples`: [{ atMs (since the run started), rssMb }]; `runMs`: the run's length. */
export function rssDrift(samples, runMs, rampMs) {
  const warmupMs = warmupFor(runMs, rampMs);
  const windowMs = Math.min(WINDOW_MS, (runMs - warmupMs) / 2);
  const inRange = (from, to) => samples.filter((s) => s.atMs > from && s.atMs <= to).map((s) => s.rssMb);
  const first = inRange(warmupMs, warmupMs + windowMs);
  const last = inRange(runMs - windowMs, runMs);
  if (first.length === 0 || last.length === 0) return { startMb: NaN, endMb: NaN, driftPct: NaN, warmupMs, windowMs };
  const startMb = mean(first);
  const endMb = mean(last);
  return { startMb, endMb, driftPct: ((endMb - startMb) / startMb) * 100, warmupMs, windowMs };
}
