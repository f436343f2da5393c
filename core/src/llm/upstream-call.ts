import type { ProviderAdapter, Target, UpstreamError, UpstreamRequest } from '../spec/adapter';
import type { LlmCallState, RequestContext } from '../spec/plugin';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors/catalogue';
import { GatewayError } from '../errors/gateway-error';
import type { Transport, UpstreamResponse } from '../upstream/transport';
import { withAccessToken } from './credential-exchange';

export interface RetryPolicy {
  /** Extra attempts on the same target for retryable errors. */
  maxRetriesPerTarget: number;
  /** First backoff (ms); doubles per attempt. */
  baseBackoffMs: number;
  /** A Retry-After longer than this moves on to the next target instead of waiting. */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetriesPerTarget: 1, baseBackoffMs: 100, maxBackoffMs: 2_000 };

export interface SuccessfulCall {
  adapter: ProviderAdapter;
  target: Target;
  response: UpstreamResponse;
}

/** Errors caused by the credential or model at one provider: another target may still work. */
const FALLBACK_WORTHY = new Set(['GW_ERR_UPSTREAM_AUTH', 'GW_ERR_UPSTREAM_FORBIDDEN', 'GW_ERR_UPSTREAM_NOT_FOUND']);

export function upstreamErrorToGatewayError(err: UpstreamError): GatewayError {
  const code: ErrorCode = err.code in ERROR_CATALOGUE ? (err.code as ErrorCode) : 'GW_ERR_UPSTREAM_ERROR';
  const headers: Record<string, string> = {};
  if (err.retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(err.retryAfterMs / 1000)));
  return new GatewayError(code, {
    status: err.status,
    message: err.message,
    param: err.param ?? null,
    ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    headers,
    details: { providerCode: err.providerCode ?? null },
  });
}

const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

async function readErrorBody(res: UpstreamResponse): Promise<unknown> {
  const text = await res.body.text().catch(() => '');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Tries each target in order; retries retryable failures on the same target with backoff
 * (honouring Retry-After up to a cap), then falls back. Only called before anything has been
 * sent to the client, so a fallback is invisible to it.
 */
export async function callWithFallbacks(
  ctx: RequestContext,
  llm: LlmCallState,
  adapters: ReadonlyMap<string, ProviderAdapter>,
  transport: Transport,
  policy: RetryPolicy,
  build: (adapter: ProviderAdapter, target: Target) => UpstreamRequest,
): Promise<SuccessfulCall> {
  let lastError: GatewayError | null = null;
  for (const target of llm.targets) {
    const adapter = adapters.get(target.provider);
    if (!adapter) continue;
    for (let attempt = 0; attempt <= policy.maxRetriesPerTarget; attempt++) {
      if (ctx.signal.aborted) throw new GatewayError('GW_ERR_UPSTREAM_UNREACHABLE', { message: 'The client went away.' });
      llm.attempts += 1;
      llm.target = target;
      let retryAfterMs: number | undefined;
      // Credentials that need a token exchange (Entra ID) get a cached token first; others skip the await.
      const authorized = target.tokenSource ? await withAccessToken(target, ctx.signal) : target;
      if (authorized instanceof GatewayError) {
        lastError = authorized;
        ctx.logger.warn({ provider: target.provider, code: authorized.code, attempt: llm.attempts }, 'credential exchange failed');
        if (!authorized.retryable) break;
      } else {
        const upstreamRequest = build(adapter, authorized);
        llm.warnings = upstreamRequest.warnings;
        llm.upstreamStartedAt = performance.now();
        try {
          const response = await transport.send(upstreamRequest, ctx.signal);
          llm.upstreamHeadersAt = performance.now();
          if (response.status >= 200 && response.status < 300) return { adapter, target, response };
          // A refused token may be revoked or stale: the next attempt or request fetches a fresh one.
          if (response.status === 401 && authorized.credential.accessToken !== undefined) target.tokenSource?.reject(authorized.credential.accessToken);
          const mapped = adapter.mapError(response.status, await readErrorBody(response), response.headers);
          lastError = upstreamErrorToGatewayError(mapped);
          retryAfterMs = mapped.retryAfterMs;
          ctx.logger.warn({ provider: target.provider, status: response.status, code: mapped.code, attempt: llm.attempts }, 'upstream error');
          if (!mapped.retryable) break;
        } catch (err) {
          lastError = err instanceof GatewayError ? err : transport.mapNetworkError(err, ctx.signal);
          if (!lastError.retryable) break;
        }
      }
      const wait = retryAfterMs ?? policy.baseBackoffMs * 2 ** attempt;
      if (attempt === policy.maxRetriesPerTarget || wait > policy.maxBackoffMs) break;
      await abortableSleep(wait, ctx.signal);
    }
    if (lastError && !lastError.retryable && !FALLBACK_WORTHY.has(lastError.code)) throw lastError;
  }
  throw lastError ?? new GatewayError('GW_ERR_PROVIDER_DISABLED', { message: 'No enabled provider can serve this model.' });
}
