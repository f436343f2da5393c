import { ERROR_CATALOGUE, type ErrorCode, type UpstreamError } from '@portcullis/core';
import { isRecord, stringField } from './narrow';

interface Classification {
  code: ErrorCode;
  /** Overrides the catalogue status (e.g. 413 stays 413). */
  status?: number;
}

/** Anthropic's documented `error.type` values (docs: API errors). */
const BY_ERROR_TYPE: Record<string, Classification> = {
  invalid_request_error: { code: 'GW_ERR_UPSTREAM_BAD_REQUEST' },
  authentication_error: { code: 'GW_ERR_UPSTREAM_AUTH' },
  // 402: the credential's account cannot pay; another credential may work, a retry will not.
  billing_error: { code: 'GW_ERR_UPSTREAM_FORBIDDEN' },
  permission_error: { code: 'GW_ERR_UPSTREAM_FORBIDDEN' },
  not_found_error: { code: 'GW_ERR_UPSTREAM_NOT_FOUND' },
  request_too_large: { code: 'GW_ERR_UPSTREAM_BAD_REQUEST', status: 413 },
  rate_limit_error: { code: 'GW_ERR_UPSTREAM_RATE_LIMITED' },
  api_error: { code: 'GW_ERR_UPSTREAM_ERROR' },
  timeout_error: { code: 'GW_ERR_UPSTREAM_TIMEOUT' },
  overloaded_error: { code: 'GW_ERR_UPSTREAM_OVERLOADED' },
};

/** For bodies without a readable error type (HTML from a proxy, empty bodies). */
function classifyByStatus(status: number): Classification {
  if (status === 401) return { code: 'GW_ERR_UPSTREAM_AUTH' };
  if (status === 402 || status === 403) return { code: 'GW_ERR_UPSTREAM_FORBIDDEN' };
  if (status === 404) return { code: 'GW_ERR_UPSTREAM_NOT_FOUND' };
  if (status === 413) return { code: 'GW_ERR_UPSTREAM_BAD_REQUEST', status: 413 };
  if (status === 429) return { code: 'GW_ERR_UPSTREAM_RATE_LIMITED' };
  if (status === 529 || status === 503) return { code: 'GW_ERR_UPSTREAM_OVERLOADED' };
  if (status === 504) return { code: 'GW_ERR_UPSTREAM_TIMEOUT' };
  if (status >= 500) return { code: 'GW_ERR_UPSTREAM_ERROR' };
  return { code: 'GW_ERR_UPSTREAM_BAD_REQUEST' };
}

const CONTEXT_LENGTH_HINT = /prompt is too long|context (window|length)|too many tokens/i;

export function classifyAnthropicError(errorType: string | undefined, status: number | undefined, message = ''): Classification {
  const known = errorType !== undefined ? BY_ERROR_TYPE[errorType] : undefined;
  const classification = known ?? (status !== undefined ? classifyByStatus(status) : { code: 'GW_ERR_UPSTREAM_ERROR' });
  if (classification.code === 'GW_ERR_UPSTREAM_BAD_REQUEST' && CONTEXT_LENGTH_HINT.test(message))
    return { code: 'GW_ERR_UPSTREAM_CONTEXT_LENGTH' };
  return classification;
}

/** Anthropic key shapes, redacted in case an upstream message ever echoes one. */
const SECRET_PATTERN = /sk-ant-[A-Za-z0-9_-]+/g;
const MAX_MESSAGE_LENGTH = 500;

export function safeUpstreamMessage(message: string): string {
  const redacted = message.replace(SECRET_PATTERN, '[redacted]');
  return redacted.length > MAX_MESSAGE_LENGTH ? `${redacted.slice(0, MAX_MESSAGE_LENGTH)}…` : redacted;
}

/** Reads `{type:'error', error:{type, message}}`, whether already parsed or still text. */
export function readErrorBody(body: unknown): { type?: string; message?: string } {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (!isRecord(value) || !isRecord(value['error'])) return {};
  const error = value['error'];
  const out: { type?: string; message?: string } = {};
  const type = stringField(error, 'type');
  const message = stringField(error, 'message');
  if (type !== undefined) out.type = type;
  if (message !== undefined) out.message = message;
  return out;
}

/** `retry-after-ms` (non-standard, precise), then `retry-after` as seconds or an HTTP date. */
export function parseRetryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function mapAnthropicError(status: number, body: unknown, headers: Headers, now: number): UpstreamError {
  const { type, message } = readErrorBody(body);
  const classification = classifyAnthropicError(type, status, message);
  const entry = ERROR_CATALOGUE[classification.code];
  // Auth failures keep the catalogue's wording: the upstream text is about OUR credential.
  const detail = message !== undefined && classification.code !== 'GW_ERR_UPSTREAM_AUTH' ? `: ${safeUpstreamMessage(message)}` : '';
  const mapped: UpstreamError = {
    code: classification.code,
    status: classification.status ?? entry.status,
    message: `${entry.message} (Anthropic HTTP ${status}${type ? ` ${type}` : ''})${detail}`,
    retryable: entry.retryable,
    param: null,
  };
  if (type !== undefined) mapped.providerCode = type;
  const retryAfterMs = parseRetryAfterMs(headers, now);
  if (retryAfterMs !== undefined) mapped.retryAfterMs = retryAfterMs;
  return mapped;
}
