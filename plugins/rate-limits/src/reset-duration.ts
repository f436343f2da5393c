/**
 * Formats a duration the way OpenAI's x-ratelimit-reset-* headers do (Go duration syntax):
 * `20ms`, `1s`, `8.64s`, `6m0s`, `1h2m3s`. Clients written against OpenAI parse this.
 */
export function formatResetDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const secondsMs = total % 60_000;
  // Up to millisecond precision, trailing zeros trimmed (8640 -> "8.64").
  const seconds = (secondsMs / 1000).toFixed(3).replace(/\.?0+$/, '');
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** Whole seconds for Retry-After: rounded up, at least 1 so clients never retry instantly. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
