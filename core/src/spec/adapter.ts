import type {
  CanonicalChatRequest,
  CanonicalChatResponse,
  EmbeddingsRequest,
  EmbeddingsResponse,
  Warning,
} from './chat';
import type { StreamPart } from './stream';

export const ADAPTER_SPEC_VERSION = 'v1' as const;

/** Where one attempt of a request goes: resolved by the router from aliases and bindings. */
export interface Target {
  /** Provider id as configured (`openai`, `groq`, `azure-openai`, `anthropic`, ...). */
  provider: string;
  /** Upstream model id (for Azure: the deployment name). */
  model: string;
  /** Base URL from the binding or credential override; adapters fall back to their default. */
  baseUrl?: string;
  credential: ResolvedCredential;
  /**
   * Set by the host, never by adapters: present when the adapter's `credentialExchange` applies
   * to this credential. Core awaits it before each attempt and hands the adapter the result as
   * `credential.accessToken`; every other target skips that step (no await on their hot path).
   */
  tokenSource?: TargetTokenSource;
}

/** The host's cached, single-flight access to one credential's short-lived token. */
export interface TargetTokenSource {
  /** A token valid for at least a little longer; fetched only when none is cached. */
  accessToken(signal: AbortSignal): Promise<string>;
  /** The provider refused this token (HTTP 401): forget it so the next attempt fetches a fresh one. */
  reject(accessToken: string): void;
}

/** A decrypted credential. Only ever lives in memory; never logged. */
export interface ResolvedCredential {
  id: string;
  name: string;
  /** The API key / secret access key. */
  secret: string;
  /**
   * Non-secret provider options (`region`, `apiVersion`, `accessKeyId`, `organization`, ...).
   * Values are strings so they can be declared in YAML and GraphQL alike.
   */
  options: Record<string, string>;
  /**
   * A short-lived bearer token the host obtained through the adapter's `credentialExchange`
   * (e.g. Entra ID client credentials). Absent for credentials that need no exchange.
   */
  accessToken?: string;
}

/**
 * Optional: credentials that must be exchanged for a short-lived token before use (OAuth2
 * client credentials). Pure and synchronous like the rest of the adapter: it describes the
 * token request and reads the answer; the host sends it (with a timeout), caches the token per
 * credential and secret version, and makes concurrent requests share one exchange.
 */
export interface CredentialExchange {
  /** Whether this credential needs the exchange (e.g. option `auth: entra`). Runs per request: keep it cheap. */
  appliesTo(credential: ResolvedCredential): boolean;
  /** The token request. Throws a GatewayError naming the option when the credential is misconfigured. */
  buildTokenRequest(credential: ResolvedCredential): UpstreamRequest;
  /** Reads the token endpoint's answer (`body` is parsed JSON, or the raw text when it is not JSON). */
  parseTokenResponse(status: number, body: unknown): TokenExchangeResult;
}

export type TokenExchangeResult =
  | { ok: true; accessToken: string; expiresInMs: number }
  | {
      ok: false;
      /** Safe for clients and logs: the provider's error code(s), never the secret or the token. */
      reason: string;
      /** True when trying again later may help (the identity provider is down or throttling). */
      retryable: boolean;
    };

/** One problem with a credential's options, naming the option (for boot checks and admin writes). */
export interface CredentialOptionIssue {
  option: string;
  message: string;
}

export interface UpstreamRequest {
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  /** The serialised body (adapters serialise so they can sign it, e.g. SigV4). */
  body?: string;
  /** Settings the provider cannot honour; surfaced as warnings, never silently dropped. */
  warnings: Warning[];
}

export interface ResponseMeta {
  status: number;
  headers: Headers;
  /** The target this response came from (e.g. to fill in `model` when the provider omits it). */
  target: Target;
}

/** One framed upstream event: an SSE event, or one binary event-stream message. */
export type UpstreamEvent =
  | { kind: 'sse'; event?: string; data: string; id?: string }
  | { kind: 'message'; headers: Record<string, string>; payload: Uint8Array };

export interface StreamDecoder {
  push(event: UpstreamEvent): StreamPart[];
  /** Called once when the upstream body ends; flushes anything held back. */
  end(): StreamPart[];
}

/**
 * Splits a raw upstream byte stream into events. Core ships SSE framing; an adapter whose
 * provider streams another framing (Bedrock's binary event stream) supplies its own.
 */
export interface FrameDecoder {
  push(chunk: Uint8Array): UpstreamEvent[];
  end(): UpstreamEvent[];
}

/** The canonical upstream error: what `mapError` returns and what transport retries on. */
export interface UpstreamError {
  /** Catalogue code, e.g. GW_ERR_UPSTREAM_RATE_LIMITED. */
  code: string;
  /** HTTP status to show the client (already mapped: upstream 401 becomes 502, etc). */
  status: number;
  /** Safe message: never contains the provider secret. */
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  /** The provider's own error type/code, kept for logs. */
  providerCode?: string;
  /** OpenAI envelope `param`, when the provider named the offending parameter. */
  param?: string | null;
}

export interface EmbeddingsAdapter {
  buildRequest(req: EmbeddingsRequest, target: Target): UpstreamRequest;
  parseResponse(body: unknown, meta: ResponseMeta): EmbeddingsResponse;
}

export interface ProviderAdapter {
  specVersion: typeof ADAPTER_SPEC_VERSION;
  /** Provider ids this adapter serves (one adapter may serve several OpenAI-compatible vendors). */
  providers: readonly string[];
  /** Pure: canonical request -> upstream HTTP request. Streaming is `req.stream`. */
  buildRequest(req: CanonicalChatRequest, target: Target): UpstreamRequest;
  parseResponse(body: unknown, meta: ResponseMeta): CanonicalChatResponse;
  createStreamDecoder(target: Target): StreamDecoder;
  /** Absent: the stream is SSE and core frames it. */
  createFrameDecoder?(): FrameDecoder;
  mapError(status: number, body: unknown, headers: Headers): UpstreamError;
  embeddings?: EmbeddingsAdapter;
  /** Present when some of this provider's credentials need a token exchange first (Azure OpenAI with Entra ID). */
  credentialExchange?: CredentialExchange;
  /** Checks a credential's options for this provider; empty when they are fine. Config writers call it before saving. */
  validateCredentialOptions?(options: Readonly<Record<string, string>>): CredentialOptionIssue[];
  /** Which canonical features work, for the models list and for early, clear refusals. */
  capabilities?: Partial<Record<ProviderCapability, boolean>>;
}

export type ProviderCapability =
  | 'tools'
  | 'streaming'
  | 'images'
  | 'json_mode'
  | 'json_schema'
  | 'logprobs'
  | 'n'
  | 'seed'
  | 'embeddings';

/** How an adapter package exports itself so the host can load it by package name or path. */
export interface AdapterModule {
  adapters: ProviderAdapter[];
}
