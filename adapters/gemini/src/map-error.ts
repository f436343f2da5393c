import { ERROR_CATALOGUE, type ErrorCode, type UpstreamError } from '@portcullis/core';
import { asNumber, asString, isRecord } from './narrow';

/** What we read out of a google.rpc.Status error body. */
interface GoogleError {
  httpCode?: number;
  status?: string;
  message?: string;
  reasons: string[];
  retryDelayMs?: number;
}

/** Google status names, for bodies whose HTTP status was lost (in-band stream errors). */
const STATUS_BY_NAME: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNKNOWN: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

const MAX_MESSAGE_LENGTH = 500;

/**
 * Google API keys (`AIza` + 35 chars) are scrubbed from upstream messages. Gemini does not echo
 * keys today, but the message goes to clients and logs, so we make sure it never can.
 */
const redact = (text: string): string => text.replace(/AIza[0-9A-Za-z_-]{35}/g, '[redacted]').slice(0, MAX_MESSAGE_LENGTH);

/** `"37s"` / `"1.5s"` (proto Duration as JSON) -> milliseconds. */
export function parseDuration(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(value.trim()) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** Reads `{error:{code,message,status,details}}`, also as a JSON string or wrapped in an array. */
export function readGoogleError(body: unknown): GoogleError | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(value)) value = value[0];
  if (!isRecord(value) || !isRecord(value.error)) return undefined;
  const error = value.error;
  const details = Array.isArray(error.details) ? error.details.filter(isRecord) : [];
  const reasons = details.map((d) => asString(d.reason)).filter((r): r is string => r !== undefined);
  const retryDelayMs = details.map((d) => parseDuration(d.retryDelay)).find((ms) => ms !== undefined);
  const out: GoogleError = { reasons };
  const httpCode = asNumber(error.code);
  if (httpCode !== undefined) out.httpCode = httpCode;
  const status = asString(error.status);
  if (status !== undefined) out.status = status;
  const message = asString(error.message);
  if (message !== undefined) out.message = message;
  if (retryDelayMs !== undefined) out.retryDelayMs = retryDelayMs;
  return out;
}

function classify(status: number, error: GoogleError | undefined): ErrorCode {
  // An invalid key is a 400 INVALID_ARGUMENT with reason API_KEY_INVALID: the gateway's
  // credential is at fault, not the client's request.
  if (error?.reasons.includes('API_KEY_INVALID') || /API key not valid/i.test(error?.message ?? '')) return 'GW_ERR_UPSTREAM_AUTH';
  if (status === 401) return 'GW_ERR_UPSTREAM_AUTH';
  if (status === 403) return 'GW_ERR_UPSTREAM_FORBIDDEN';
  if (status === 404) return 'GW_ERR_UPSTREAM_NOT_FOUND';
  if (status === 429) return 'GW_ERR_UPSTREAM_RATE_LIMITED';
  if (status === 503) return 'GW_ERR_UPSTREAM_OVERLOADED';
  if (status === 504) return 'GW_ERR_UPSTREAM_TIMEOUT';
  if (status >= 500) return 'GW_ERR_UPSTREAM_ERROR';
  if (/exceeds the maximum number of tokens|input token count .* exceeds/i.test(error?.message ?? '')) return 'GW_ERR_UPSTREAM_CONTEXT_LENGTH';
  return 'GW_ERR_UPSTREAM_BAD_REQUEST';
}

/** Auth and server failures get the catalogue's message: the details are ours to log, not the client's. */
const PASS_MESSAGE_THROUGH = new Set<ErrorCode>(['GW_ERR_UPSTREAM_BAD_REQUEST', 'GW_ERR_UPSTREAM_NOT_FOUND', 'GW_ERR_UPSTREAM_CONTEXT_LENGTH', 'GW_ERR_UPSTREAM_RATE_LIMITED']);

function retryAfterHeaderMs(headers: Headers): number | undefined {
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

/** HTTP error from Gemini -> canonical upstream error (code, client status, retryability). */
export function mapGeminiError(status: number, body: unknown, headers: Headers): UpstreamError {
  const error = readGoogleError(body);
  const code = classify(status, error);
  const entry = ERROR_CATALOGUE[code];
  const mapped: UpstreamError = {
    code,
    status: entry.status,
    message: PASS_MESSAGE_THROUGH.has(code) && error?.message ? `Gemini: ${redact(error.message)}` : entry.message,
    retryable: entry.retryable,
  };
  const providerCode = error?.reasons[0] ?? error?.status;
  if (providerCode !== undefined) mapped.providerCode = providerCode;
  const retryAfterMs = error?.retryDelayMs ?? retryAfterHeaderMs(headers);
  if (entry.retryable && retryAfterMs !== undefined) mapped.retryAfterMs = retryAfterMs;
  return mapped;
}

/** An error object that arrived inside a 200 stream: its HTTP status is only in the body. */
export function mapInBandError(body: unknown): UpstreamError {
  const error = readGoogleError(body);
  const status = error?.httpCode ?? STATUS_BY_NAME[error?.status ?? ''] ?? 500;
  return mapGeminiError(status, body, new Headers());
}
