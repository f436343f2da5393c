import { ERROR_CATALOGUE, type ErrorCode, type UpstreamError } from '@portcullis/core';
import { isRecord } from './response';

/**
 * AWS error type -> catalogue code. Auth failures never echo AWS's message: an
 * InvalidSignatureException message quotes the canonical request, which can hold the
 * session token.
 */
const BY_ERROR_TYPE: Record<string, { code: ErrorCode; safeMessageOnly?: boolean }> = {
  ValidationException: { code: 'GW_ERR_UPSTREAM_BAD_REQUEST' },
  AccessDeniedException: { code: 'GW_ERR_UPSTREAM_AUTH', safeMessageOnly: true },
  UnrecognizedClientException: { code: 'GW_ERR_UPSTREAM_AUTH', safeMessageOnly: true },
  InvalidSignatureException: { code: 'GW_ERR_UPSTREAM_AUTH', safeMessageOnly: true },
  ExpiredTokenException: { code: 'GW_ERR_UPSTREAM_AUTH', safeMessageOnly: true },
  IncompleteSignatureException: { code: 'GW_ERR_UPSTREAM_AUTH', safeMessageOnly: true },
  MissingAuthenticationTokenException: { code: 'GW_ERR_UPSTREAM_AUTH', safeMessageOnly: true },
  ResourceNotFoundException: { code: 'GW_ERR_UPSTREAM_NOT_FOUND' },
  ThrottlingException: { code: 'GW_ERR_UPSTREAM_RATE_LIMITED' },
  ServiceQuotaExceededException: { code: 'GW_ERR_UPSTREAM_RATE_LIMITED' },
  ModelNotReadyException: { code: 'GW_ERR_UPSTREAM_RATE_LIMITED' },
  ModelTimeoutException: { code: 'GW_ERR_UPSTREAM_TIMEOUT' },
  ServiceUnavailableException: { code: 'GW_ERR_UPSTREAM_OVERLOADED' },
  InternalServerException: { code: 'GW_ERR_UPSTREAM_ERROR' },
  ModelErrorException: { code: 'GW_ERR_UPSTREAM_ERROR' },
  ModelStreamErrorException: { code: 'GW_ERR_UPSTREAM_ERROR' },
};

function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'GW_ERR_UPSTREAM_AUTH';
  if (status === 404) return 'GW_ERR_UPSTREAM_NOT_FOUND';
  if (status === 408) return 'GW_ERR_UPSTREAM_TIMEOUT';
  if (status === 429) return 'GW_ERR_UPSTREAM_RATE_LIMITED';
  if (status === 503) return 'GW_ERR_UPSTREAM_OVERLOADED';
  if (status === 504) return 'GW_ERR_UPSTREAM_TIMEOUT';
  if (status >= 400 && status < 500) return 'GW_ERR_UPSTREAM_BAD_REQUEST';
  return 'GW_ERR_UPSTREAM_ERROR';
}

/** `ThrottlingException:http://internal.amazon.com/coral/...` or `com.amazon#ThrottlingException` -> `ThrottlingException` */
export function sanitizeErrorType(raw: string): string {
  let value = raw.split(':')[0]!.trim();
  if (value.includes('#')) value = value.slice(value.lastIndexOf('#') + 1);
  return value;
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
  if (isRecord(body)) return body;
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const MAX_MESSAGE = 500;
/** Access key ids are not secret, but they identify the account; keep them out of client messages. */
const redact = (message: string): string => message.replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '[redacted]').slice(0, MAX_MESSAGE);

const CONTEXT_LENGTH_HINT = /too long|context (length|window)|maximum (context|input)|exceeds? the max/i;

function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function mapBedrockError(status: number, body: unknown, headers: Headers): UpstreamError {
  const parsed = parseBody(body);
  const rawType = headers.get('x-amzn-errortype') ?? (typeof parsed?.__type === 'string' ? parsed.__type : undefined) ?? (typeof parsed?.code === 'string' ? parsed.code : undefined);
  const providerCode = rawType ? sanitizeErrorType(rawType) : undefined;
  const known = providerCode ? BY_ERROR_TYPE[providerCode] : undefined;
  const upstreamMessage = typeof parsed?.message === 'string' ? parsed.message : typeof parsed?.Message === 'string' ? parsed.Message : undefined;

  let code: ErrorCode = known?.code ?? codeForStatus(status);
  if (code === 'GW_ERR_UPSTREAM_BAD_REQUEST' && upstreamMessage && CONTEXT_LENGTH_HINT.test(upstreamMessage)) code = 'GW_ERR_UPSTREAM_CONTEXT_LENGTH';
  const entry = ERROR_CATALOGUE[code];
  const safeOnly = known?.safeMessageOnly ?? code === 'GW_ERR_UPSTREAM_AUTH';
  const message = !safeOnly && upstreamMessage ? `Bedrock: ${redact(upstreamMessage)}` : entry.message;

  const mapped: UpstreamError = { code, status: entry.status, message, retryable: entry.retryable };
  const wait = entry.retryable ? retryAfterMs(headers) : undefined;
  if (wait !== undefined) mapped.retryAfterMs = wait;
  if (providerCode) mapped.providerCode = providerCode;
  return mapped;
}

/** In-band stream exceptions (`:exception-type`, camelCase union member names) -> catalogue code. */
export function mapStreamException(exceptionType: string, payload: unknown): { code: ErrorCode; message: string } {
  const pascal = exceptionType.charAt(0).toUpperCase() + exceptionType.slice(1);
  const code = BY_ERROR_TYPE[pascal]?.code ?? 'GW_ERR_UPSTREAM_ERROR';
  const upstreamMessage = isRecord(payload) && typeof payload.message === 'string' ? payload.message : undefined;
  const safe = upstreamMessage && code !== 'GW_ERR_UPSTREAM_AUTH';
  return { code, message: safe ? `Bedrock: ${redact(upstreamMessage)}` : ERROR_CATALOGUE[code].message };
}
