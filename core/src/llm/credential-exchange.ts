import { createHash } from 'node:crypto';
import type { CredentialExchange, ResolvedCredential, Target, TargetTokenSource, UpstreamRequest } from '../spec/adapter';
import { GatewayError, toGatewayError } from '../errors/gateway-error';
import { Transport, type UpstreamResponse } from '../upstream/transport';

/** The slice of the host's Transport a token exchange needs (tests pass a fake). */
export interface TokenHttpClient {
  send(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse>;
}

/**
 * An HTTP client for identity providers alone, created on first use: gateways without such
 * credentials never open it, and token traffic gets short timeouts instead of the LLM ones
 * (which allow minutes of thinking).
 */
export function lazyIdentityHttpClient(): TokenHttpClient & { close(): Promise<void> } {
  let transport: Transport | null = null;
  return {
    send: (req, signal) => {
      transport ??= new Transport({ connectTimeoutMs: 5_000, headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, connectionsPerOrigin: null });
      return transport.send(req, signal);
    },
    /** For the gateway's shutdown: closes the pool if it was ever opened. */
    close: async () => {
      await transport?.close();
      transport = null;
    },
  };
}

export interface CredentialExchangeCacheOptions {
  http: TokenHttpClient;
  /** Whole token request, headers and body (ms). Identity providers answer in well under a second. */
  timeoutMs?: number;
  /** Milliseconds since the epoch; injectable so expiry is testable without waiting. */
  now?: () => number;
}

interface IssuedToken {
  value: string;
  /** From here on a background refresh starts; the token is still served meanwhile. */
  refreshAt: number;
  /** From here on the token is never sent: it could expire while the request is in flight. */
  usableUntil: number;
}

interface CacheEntry {
  /** Hash of the token request: a rotated secret or changed tenant/client/scope is a new entry. */
  fingerprint: string;
  token?: IssuedToken;
  /** The one exchange in flight for this credential; every concurrent caller awaits it. */
  pending?: Promise<IssuedToken>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Refresh this long before expiry (capped at half the lifetime for short-lived tokens). */
const REFRESH_AHEAD_MS = 5 * 60_000;
/** Never send a token this close to its expiry (capped at a quarter of the lifetime). */
const EXPIRY_SAFETY_MS = 60_000;

/**
 * Short-lived access tokens for credentials whose adapter declares a CredentialExchange (Azure
 * OpenAI with Entra ID). One instance per gateway, owned by the model router. Tokens are cached
 * per credential id and secret version, refreshed ahead of expiry while the old one is still
 * served, and fetched single-flight: a hundred concurrent requests cause one token request.
 * Failures are not cached (the next request tries again) and name no secret.
 */
export class CredentialExchangeCache {
  private readonly entries = new Map<string, CacheEntry>();
  private readonly http: TokenHttpClient;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(options: CredentialExchangeCacheOptions) {
    this.http = options.http;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /** The handle the router puts on a Target whose credential needs the exchange. */
  sourceFor(exchange: CredentialExchange, credential: ResolvedCredential, provider: string): TargetTokenSource {
    return {
      accessToken: (signal) => this.accessToken(exchange, credential, provider, signal),
      reject: (token) => this.reject(credential.id, token),
    };
  }

  async accessToken(exchange: CredentialExchange, credential: ResolvedCredential, provider: string, signal: AbortSignal): Promise<string> {
    // Pure and cheap; it also validates the options, so a misconfiguration fails here, clearly.
    const request = exchange.buildTokenRequest(credential);
    const fingerprint = createHash('sha256').update(`${request.url}\n${request.body ?? ''}`).digest('base64url');
    let entry = this.entries.get(credential.id);
    if (!entry || entry.fingerprint !== fingerprint) {
      entry = { fingerprint };
      this.entries.set(credential.id, entry);
    }
    const now = this.now();
    const token = entry.token;
    if (token && now < token.usableUntil) {
      if (now >= token.refreshAt && !entry.pending) {
        // Refresh in the background; a failure surfaces to whoever needs a token after expiry.
        this.startExchange(entry, exchange, request, provider, credential).catch(() => undefined);
      }
      return token.value;
    }
    const pending = entry.pending ?? this.startExchange(entry, exchange, request, provider, credential);
    return (await untilAborted(pending, signal)).value;
  }

  /** Drops the cached token if it is still the one the provider refused (a newer one is kept). */
  reject(credentialId: string, token: string): void {
    const entry = this.entries.get(credentialId);
    if (entry?.token?.value === token) delete entry.token;
  }

  private startExchange(
    entry: CacheEntry,
    exchange: CredentialExchange,
    request: UpstreamRequest,
    provider: string,
    credential: ResolvedCredential,
  ): Promise<IssuedToken> {
    const pending = this.exchange(exchange, request, provider, credential).then(
      (issued) => {
        // A rotation may have replaced the entry meanwhile; then this result is simply dropped.
        entry.token = issued;
        delete entry.pending;
        return issued;
      },
      (err: unknown) => {
        delete entry.pending;
        throw err;
      },
    );
    entry.pending = pending;
    // Callers that gave up (aborted) leave the promise unobserved: that is not an unhandled rejection.
    pending.catch(() => undefined);
    return pending;
  }

  private async exchange(exchange: CredentialExchange, request: UpstreamRequest, provider: string, credential: ResolvedCredential): Promise<IssuedToken> {
    // The exchange has its own deadline, not the caller's signal: other requests may be waiting on it.
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const startedAt = this.now();
    let status: number;
    let text: string;
    try {
      // Raced as well as signalled: the deadline holds even if a client ignores the signal mid-body.
      ({ status, text } = await untilAborted(
        this.http.send(request, timeout).then(async (res) => ({ status: res.status, text: await res.body.text() })),
        timeout,
      ));
    } catch (err) {
      if (timeout.aborted) {
        throw new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', {
          message: `The identity provider did not issue an access token for ${provider} within ${this.timeoutMs} ms.`,
          details: { credential: credential.id, phase: 'credential-exchange' },
        });
      }
      throw new GatewayError('GW_ERR_UPSTREAM_UNREACHABLE', {
        message: `The identity provider for ${provider} could not be reached to obtain an access token.`,
        details: { credential: credential.id, phase: 'credential-exchange', why: errorName(err) },
      });
    }
    const result = exchange.parseTokenResponse(status, parseJsonOrText(text));
    if (!result.ok) {
      const reason = withoutSecrets(result.reason, credential.secret);
      const details = { credential: credential.id, phase: 'credential-exchange', status, reason };
      if (result.retryable) {
        throw new GatewayError('GW_ERR_UPSTREAM_UNREACHABLE', {
          message: `The identity provider for ${provider} failed to issue an access token (HTTP ${status}: ${reason}).`,
          details,
        });
      }
      throw new GatewayError('GW_ERR_UPSTREAM_AUTH', {
        message: `The identity provider refused the gateway's client credentials for ${provider} (HTTP ${status}: ${reason}).`,
        details,
      });
    }
    const lifetime = Math.max(0, result.expiresInMs);
    const expiresAt = startedAt + lifetime;
    return {
      value: result.accessToken,
      refreshAt: expiresAt - Math.min(REFRESH_AHEAD_MS, lifetime / 2),
      usableUntil: expiresAt - Math.min(EXPIRY_SAFETY_MS, lifetime / 4),
    };
  }
}

/**
 * The target with a fresh access token on its credential, or the catalogued error that stopped
 * it (so the caller applies its usual retry and fallback rules).
 */
export async function withAccessToken(target: Target, signal: AbortSignal): Promise<Target | GatewayError> {
  if (!target.tokenSource) return target;
  try {
    const accessToken = await target.tokenSource.accessToken(signal);
    return { ...target, credential: { ...target.credential, accessToken } };
  } catch (err) {
    return toGatewayError(err);
  }
}

/** Waits for the shared exchange, but lets this caller leave when its own request is aborted. */
function untilAborted<T>(shared: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(clientGone());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(clientGone());
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

const clientGone = (): GatewayError => new GatewayError('GW_ERR_UPSTREAM_UNREACHABLE', { message: 'The client went away.' });

const errorName = (err: unknown): string => (err instanceof GatewayError ? err.code : err instanceof Error ? err.name : typeof err);

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Belt and braces: an adapter's reason should never carry the secret, but if it did, it would not leave. */
function withoutSecrets(reason: string, secret: string): string {
  const scrubbed = secret.length >= 4 ? reason.split(secret).join('[REDACTED]') : reason;
  return scrubbed.slice(0, 200);
}
