import { ERROR_CATALOGUE, type ErrorCode, type UpstreamError } from '@portcullis/core';
import { isRecord, stringField } from './narrow';

/** Acme's documented error kinds. */
const BY_KIND: Record<string, ErrorCode> = {
  invalid_request: 'GW_ERR_UPSTREAM_BAD_REQUEST',
  unauthorized: 'GW_ERR_UPSTREAM_AUTH',
  forbidden: 'GW_ERR_UPSTREAM_FORBIDDEN',
  not_found: 'GW_ERR_UPSTREAM_NOT_FOUND',
  rate_limited: 'GW_ERR_UPSTREAM_RATE_LIMITED',
  overloaded: 'GW_ERR_UPSTREAM_OVERLOADED',
  internal: 'GW_ERR_UPSTREAM_ERROR',
};

/** For bodies without a readable kind (an HTML page from a proxy, an empty body). */
function byStatus(status: number): ErrorCode {
  if (status === 401) return 'GW_ERR_UPSTREAM_AUTH';
  if (status === 403) return 'GW_ERR_UPSTREAM_FORBIDDEN';
  if (status === 404) return 'GW_ERR_UPSTREAM_NOT_FOUND';
  if (status === 429) return 'GW_ERR_UPSTREAM_RATE_LIMITED';
  if (status === 503) return 'GW_ERR_UPSTREAM_OVERLOADED';
  if (status === 504) return 'GW_ERR_UPSTREAM_TIMEOUT';
  if (status >= 500) return 'GW_ERR_UPSTREAM_ERROR';
  return 'GW_ERR_UPSTREAM_BAD_REQUEST';
}

export function readAcmeError(body: unknown): { kind?: string; message?: string } {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (!isRecord(value) || !isRecord(value['error'])) return {};
  const kind = stringField(value['error'], 'kind');
  const message = stringField(value['error'], 'message');
  return { ...(kind !== undefined ? { kind } : {}), ...(message !== undefined ? { message } : {}) };
}

/** `retry-after` in seconds (Acme sends no HTTP dates). */
function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

export function mapAcmeError(status: number, body: unknown, headers: Headers): UpstreamError {
  const { kind, message } = readAcmeError(body);
  const code = (kind !== undefined ? BY_KIND[kind] : undefined) ?? byStatus(status);
  const entry = ERROR_CATALOGUE[code];
  // An auth failure is about OUR credential: keep the catalogue's wording, not the upstream's.
  const detail = message !== undefined && code !== 'GW_ERR_UPSTREAM_AUTH' ? `: ${message.slice(0, 300)}` : '';
  const mapped: UpstreamError = { code, status: entry.status, message: `${entry.message} (Acme HTTP ${status})${detail}`, retryable: entry.retryable, param: null };
  if (kind !== undefined) mapped.providerCode = kind;
  const wait = retryAfterMs(headers);
  if (wait !== undefined) mapped.retryAfterMs = wait;
  return mapped;
}
