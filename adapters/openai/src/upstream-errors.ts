import { ERROR_CATALOGUE, type ErrorCode, type StreamError, type UpstreamError } from '@portcullis/core';
import { redactSecrets } from './redact';
import { parseRetryAfterMs } from './retry-after';
import { asString, isRecord } from './wire';

/** Upper bound on how much upstream text a client message may carry. */
const MAX_UPSTREAM_MESSAGE = 500;

/** HTTP status of an upstream error -> catalogue code (OpenAI's documented statuses). */
export function upstreamCodeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 409:
    case 413:
    case 415:
    case 422:
      return 'GW_ERR_UPSTREAM_BAD_REQUEST';
    case 401:
      return 'GW_ERR_UPSTREAM_AUTH';
    case 402:
    case 403:
      return 'GW_ERR_UPSTREAM_FORBIDDEN';
    case 404:
      return 'GW_ERR_UPSTREAM_NOT_FOUND';
    case 408:
    case 504:
      return 'GW_ERR_UPSTREAM_TIMEOUT';
    case 429:
      return 'GW_ERR_UPSTREAM_RATE_LIMITED';
    case 503:
    case 529:
      return 'GW_ERR_UPSTREAM_OVERLOADED';
    default:
      return status >= 400 && status < 500 ? 'GW_ERR_UPSTREAM_BAD_REQUEST' : 'GW_ERR_UPSTREAM_ERROR';
  }
}

/** The parts of OpenAI's `{"error":{message,type,param,code}}` envelope we use. */
export interface OpenAIErrorDetail {
  message?: string;
  type?: string;
  code?: string;
  param?: string | null;
}

/**
 * Reads an error envelope from whatever the transport handed us: a parsed object, a JSON
 * string, or a non-JSON body (an HTML page from a proxy), which yields nothing.
 */
export function readErrorDetail(body: unknown): OpenAIErrorDetail {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (Array.isArray(value)) value = value[0]; // some vendors wrap the envelope in an array
  if (!isRecord(value)) return {};
  // `{"error": {...}}` (OpenAI) or `{"error": "text"}` / `{"message": ...}` (some vendors).
  const inner = isRecord(value.error) ? value.error : value;
  const detail: OpenAIErrorDetail = {};
  const message = asString(inner.message) ?? asString(value.error) ?? asString(value.detail);
  if (message !== undefined) detail.message = message;
  const type = asString(inner.type);
  if (type !== undefined) detail.type = type;
  const code = asString(inner.code) ?? (typeof inner.code === 'number' ? String(inner.code) : undefined);
  if (code !== undefined) detail.code = code;
  if (typeof inner.param === 'string' || inner.param === null) detail.param = inner.param;
  return detail;
}

const clip = (text: string): string =>
  text.length > MAX_UPSTREAM_MESSAGE ? `${text.slice(0, MAX_UPSTREAM_MESSAGE)}...` : text;

/**
 * The client-facing message. Request problems (400/404/context length) carry the upstream's
 * explanation because the client can act on it; credential and server problems lead with the
 * catalogue message so a client never mistakes the gateway's upstream key for its own.
 * Everything upstream-sourced is redacted.
 */
function safeMessage(code: ErrorCode, detail: OpenAIErrorDetail): string {
  const base = ERROR_CATALOGUE[code].message;
  if (detail.message === undefined || detail.message.trim() === '') return base;
  const upstream = clip(redactSecrets(detail.message.trim()));
  const clientActionable =
    code === 'GW_ERR_UPSTREAM_BAD_REQUEST' || code === 'GW_ERR_UPSTREAM_CONTEXT_LENGTH' || code === 'GW_ERR_UPSTREAM_NOT_FOUND';
  return clientActionable ? upstream : `${base} Upstream said: ${upstream}`;
}

/** OpenAI-style upstream error -> canonical UpstreamError (see the adapter spec). */
export function mapOpenAIError(status: number, body: unknown, headers: Headers): UpstreamError {
  const detail = readErrorDetail(body);
  let code = upstreamCodeForStatus(status);
  if (code === 'GW_ERR_UPSTREAM_BAD_REQUEST' && detail.code === 'context_length_exceeded') code = 'GW_ERR_UPSTREAM_CONTEXT_LENGTH';
  if (code === 'GW_ERR_UPSTREAM_BAD_REQUEST' && detail.code === 'content_filter') code = 'GW_ERR_UPSTREAM_CONTENT_FILTER';
  const entry = ERROR_CATALOGUE[code];
  const error: UpstreamError = {
    code,
    status: entry.status,
    message: safeMessage(code, detail),
    retryable: entry.retryable,
  };
  const retryAfterMs = parseRetryAfterMs(headers);
  if (retryAfterMs !== undefined && entry.retryable) error.retryAfterMs = retryAfterMs;
  const providerCode = detail.code ?? detail.type;
  if (providerCode !== undefined) error.providerCode = providerCode;
  if (detail.param !== undefined) error.param = detail.param;
  return error;
}

/** Provider error types/codes seen in in-band stream errors -> catalogue code. */
const STREAM_ERROR_CODES: Record<string, ErrorCode> = {
  rate_limit_error: 'GW_ERR_UPSTREAM_RATE_LIMITED',
  rate_limit_exceeded: 'GW_ERR_UPSTREAM_RATE_LIMITED',
  overloaded_error: 'GW_ERR_UPSTREAM_OVERLOADED',
  server_overloaded: 'GW_ERR_UPSTREAM_OVERLOADED',
  timeout: 'GW_ERR_UPSTREAM_TIMEOUT',
  context_length_exceeded: 'GW_ERR_UPSTREAM_CONTEXT_LENGTH',
  content_filter: 'GW_ERR_UPSTREAM_CONTENT_FILTER',
  invalid_request_error: 'GW_ERR_UPSTREAM_BAD_REQUEST',
};

/** An in-band `{"error": ...}` SSE payload -> the StreamPart error body. */
export function streamErrorFromPayload(payload: unknown): StreamError {
  const detail = readErrorDetail(payload);
  const code = (detail.code !== undefined ? STREAM_ERROR_CODES[detail.code] : undefined) ??
    (detail.type !== undefined ? STREAM_ERROR_CODES[detail.type] : undefined) ??
    'GW_ERR_UPSTREAM_ERROR';
  const entry = ERROR_CATALOGUE[code];
  return { code, message: safeMessage(code, detail), status: entry.status, retryable: entry.retryable };
}
