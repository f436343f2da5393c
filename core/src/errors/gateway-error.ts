import { ERROR_CATALOGUE, type ErrorCode, type OpenAIErrorType } from './catalogue';

export interface GatewayErrorOptions {
  /** Overrides the catalogue's safe message. Must never contain secrets. */
  message?: string;
  param?: string | null;
  /** Overrides the status (e.g. an upstream 503 passed through as 503). */
  status?: number;
  retryAfterMs?: number;
  /** Extra response headers (e.g. x-ratelimit-*). */
  headers?: Record<string, string>;
  /** Internal cause; logged (redacted), never sent to the client. */
  cause?: unknown;
  /** Machine details for logs and audit (entity types for guardrails, etc). */
  details?: Record<string, unknown>;
}

/** The only error type the pipeline turns into a client response. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly publicCode: string;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly headers: Record<string, string>;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const entry = ERROR_CATALOGUE[code];
    super(options.message ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options.status ?? entry.status;
    this.type = entry.type;
    this.publicCode = entry.code;
    this.param = options.param ?? null;
    this.retryable = entry.retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }

  /** OpenAI's error envelope. */
  toEnvelope(): OpenAIErrorEnvelope {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.publicCode } };
  }
}

export interface OpenAIErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export const gatewayError = (code: ErrorCode, options?: GatewayErrorOptions): GatewayError =>
  new GatewayError(code, options);

export const isGatewayError = (err: unknown): err is GatewayError => err instanceof GatewayError;

/** Anything thrown that is not a GatewayError becomes an internal error with a safe message. */
export function toGatewayError(err: unknown): GatewayError {
  if (isGatewayError(err)) return err;
  return new GatewayError('GW_ERR_INTERNAL', { cause: err });
}
