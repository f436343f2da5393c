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
