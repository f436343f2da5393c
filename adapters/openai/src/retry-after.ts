/**
 * How long the upstream asked us to wait, in milliseconds. `retry-after-ms` (OpenAI, Azure)
 * is the precise one; `retry-after` is delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * `now` is a parameter so the date form stays testable and the function stays pure.
 */
export function parseRetryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const precise = headers.get('retry-after-ms');
  if (precise !== null && precise.trim() !== '') {
    const ms = Number(precise);
    if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  }
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
