import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { ZodType } from 'zod';
import type {
  CanonicalChatRequest,
  CanonicalChatResponse,
  EmbeddingsRequest,
  EmbeddingsResponse,
  Usage,
  Warning,
} from './chat';
import type { ProviderAdapter, Target } from './adapter';
import type { StreamPart } from './stream';
import type {
  AliasRecord,
  AuditEventInput,
  CredentialRecord,
  EndpointRecord,
  PolicyKind,
  PolicyRecord,
  ProjectRecord,
  ProjectType,
  ProviderBindingRecord,
  RequestLogRecord,
  Store,
  TokenRecord,
} from './store';
import type { GatewayError } from '../errors/gateway-error';

export const PLUGIN_API_VERSION = 1 as const;

/** Minimal structured logger (pino-compatible); secrets are redacted before they reach it. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

// ---------------------------------------------------------------- per-request state

/** A typed, namespaced slot in a request's state. Create once per plugin module. */
export interface StateKey<T> {
  readonly name: string;
  /** Phantom field carrying T; never read at run time. */
  readonly __type?: T;
}
export const createStateKey = <T>(name: string): StateKey<T> => ({ name });

export interface RequestState {
  get<T>(key: StateKey<T>): T | undefined;
  set<T>(key: StateKey<T>, value: T): void;
}

/** Who is calling, as established by the auth plugin in onRequest. */
export interface AuthInfo {
  kind: 'token';
  token: TokenRecord;
  scopes: ReadonlySet<string>;
  /** End-user subject (token.subject), for per-user OAuth connections and attribution. */
  subject: string | null;
}

/** The LLM call as it moves through the pipeline (set by host.llm before beforeUpstream). */
export interface LlmCallState {
  kind: 'chat' | 'embeddings';
  /** What the client asked for in `model`. */
  requestedModel: string;
  /** Alias name when the model resolved through an alias. */
  alias: string | null;
  /** The request that will be sent (after alias presets); beforeUpstream may rewrite it. */
  request: CanonicalChatRequest | EmbeddingsRequest;
  /** Ordered targets: primary then fallbacks. */
  targets: Target[];
  /** The target of the attempt currently in flight / that answered. */
  target: Target | null;
  attempts: number;
  stream: boolean;
  /** Did the client ask for stream_options.include_usage? */
  clientWantsUsage: boolean;
  /** Actual usage once known (from the upstream, or estimated on disconnect). */
  usage: Usage | null;
  /** True when usage was estimated because the upstream never reported it. */
  usageEstimated: boolean;
  /** Characters of output produced so far (for estimates when a stream is cut). */
  outputChars: number;
  /** USD, or null when the price is unknown. */
  costUsd: number | null;
  warnings: Warning[];
  upstreamStartedAt: number | null;
  upstreamHeadersAt: number | null;
}

export interface RouteInfo {
  id: string;
  /** Token scope required (`chat`, `models`, `embeddings`, `proxy`, ...). */
  scope: string | null;
  /** Slug for slug endpoints / proxy endpoints, when the route has one. */
  endpointSlug: string | null;
  public: boolean;
}

export interface RequestContext {
  readonly id: string;
  /** performance.now() at arrival. */
  readonly startedAt: number;
  readonly startedAtIso: string;
  readonly method: string;
  readonly path: string;
  readonly ip: string | null;
  readonly headers: IncomingMessage['headers'];
  readonly route: RouteInfo;
  readonly params: Readonly<Record<string, string>>;
  /** Parsed JSON body for routes with body: 'json'. */
  body: unknown;
  /** The project from the URL (`:project`), resolved from the in-memory snapshot. */
  project: ProjectRecord | null;
  /** The endpoint record for slug routes. */
  endpoint: EndpointRecord | null;
  auth: AuthInfo | null;
  llm: LlmCallState | null;
  readonly state: RequestState;
  /** Headers to send with the response (set before the first byte). */
  readonly responseHeaders: Map<string, string>;
  /** Extra fields for this request's log record (versions of policies used, metadata). */
  readonly logAnnotations: { versions: Record<string, number>; metadata: Record<string, string> };
  /** Aborted when the client disconnects or the gateway shuts down. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The snapshot the request runs against (stable for its whole life). */
  readonly snapshot: ConfigSnapshot;
}

// ---------------------------------------------------------------- hooks

/** Ends the request early with this JSON answer (e.g. a cache hit). */
export interface EarlyResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
export type HookOutcome = void | undefined | { respond: EarlyResponse };

/**
 * Return undefined to pass the part on unchanged, a part or parts to replace it, or null / []
 * to drop it. Synchronous by contract: no I/O on the stream path.
 */
export type ChunkOutcome = StreamPart | StreamPart[] | null | undefined | void;

export interface PluginHooks {
  /** Identify the caller; may end the request. */
  onRequest?(ctx: RequestContext): HookOutcome | Promise<HookOutcome>;
  /** Limits, budget pre-flight, guardrails, cache; may rewrite ctx.llm.request; may end the request. */
  beforeUpstream?(ctx: RequestContext): HookOutcome | Promise<HookOutcome>;
  /** Per canonical stream part. */
  onChunk?(ctx: RequestContext, part: StreamPart): ChunkOutcome;
  /**
   * The batch form of onChunk: every part decoded from one upstream read, in order. When a
   * plugin defines it, core calls it once per read instead of onChunk once per part, so a hook
   * with a fixed cost per call (a scan) pays it once for a burst of tokens. Return the parts to
   * pass on (the same array, a subset, more), or undefined for all of them unchanged. Same rules
   * as onChunk: synchronous, no I/O.
   */
  onChunks?(ctx: RequestContext, parts: StreamPart[]): StreamPart[] | void;
  /** End of a stream: flush any held-back parts. */
  onStreamEnd?(ctx: RequestContext): StreamPart[] | void;
  /** Non-streaming output checks; may replace the response or throw a GatewayError. */
  onResponse?(
    ctx: RequestContext,
    response: CanonicalChatResponse,
  ): CanonicalChatResponse | void | Promise<CanonicalChatResponse | void>;
  /**
   * After the client has been answered (or has gone). Runs in priority order; may annotate
   * the record before lower-priority plugins (observability) persist it. Cannot change the answer.
   */
  onLog?(ctx: RequestContext, record: RequestLogRecord): void | Promise<void>;
  onError?(ctx: RequestContext, error: GatewayError): void;
}

export type Teardown = () => void | Promise<void>;

export interface GatewayPlugin<Config = unknown> {
  name: string;
  apiVersion: typeof PLUGIN_API_VERSION;
  /** Higher runs first within a phase. Default 0. */
  priority?: number;
  /** Validated at boot; a failure stops boot. */
  configSchema?: ZodType<Config>;
  /** Plugin names that must be loaded too. */
  dependsOn?: string[];
  setup?(host: PluginHost, config: Config): void | Teardown | Promise<void | Teardown>;
  hooks?: PluginHooks;
}

/** Identity helper that keeps the config type flowing from the schema to setup. */
export function definePlugin<Config>(plugin: GatewayPlugin<Config>): GatewayPlugin<Config> {
  return plugin;
}

// ---------------------------------------------------------------- routes

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface RouteDefinition {
  id: string;
  method: HttpMethod | 'ALL';
  /** Express 5 path relative to the gateway mount, e.g. `/api/:project/v1/chat/completions`. */
  path: string;
  /** When set the path must contain `:project`, which must name an active project of these types. */
  projectTypes?: ProjectType[];
  scope?: string;
  /** Public routes skip authentication (health, OAuth callback). */
  public?: boolean;
  /** 'json': the body is read (size-limited) and parsed into ctx.body. 'raw': left unread. */
  body: 'json' | 'none' | 'raw';
  /** Optional: name of the route param that carries an endpoint slug. */
  slugParam?: string;
  handle(ctx: RequestContext, io: RouteIO): Promise<void>;
}

/** How a route answers; every method applies ctx.responseHeaders and x-request-id first. */
export interface RouteIO {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  json(status: number, body: unknown): void;
  /** Starts an SSE response (status 200, text/event-stream). */
  startSse(): SseWriter;
  /** Writes pending headers onto res without sending a body (for proxies that pipe). */
  applyHeaders(): void;
}

export interface SseWriter {
  /**
   * Writes `data: <payload>\n\n`. Returns a promise only while the socket is full
   * (back-pressure): await it when there is one. Most calls return nothing, and awaiting that
   * would still cost a microtask turn per frame on the per-token hot path.
   */
  data(payload: string): void | Promise<void>;
  end(): void;
  readonly closed: boolean;
}

// ---------------------------------------------------------------- config snapshot

/** Everything the hot path needs, in memory. Immutable; replaced wholesale on change. */
export interface ConfigSnapshot {
  readonly version: number;
  readonly loadedAt: number;
  readonly projects: ReadonlyMap<string, ProjectRecord>;
  /** By token hash (and by previousHash while a rotation's grace period lasts). */
  readonly tokensByHash: ReadonlyMap<string, TokenRecord>;
  readonly aliases: ReadonlyMap<string, ReadonlyMap<string, AliasRecord>>; // projectId -> name -> alias
  readonly bindings: ReadonlyMap<string, ReadonlyMap<string, ProviderBindingRecord>>; // projectId -> provider
  readonly credentials: ReadonlyMap<string, CredentialRecord>;
  readonly endpoints: ReadonlyMap<string, ReadonlyMap<string, EndpointRecord>>; // projectId -> slug
  /** Current policy versions only. */
  readonly policies: readonly PolicyRecord[];
}

export interface ConfigService {
  current(): ConfigSnapshot;
  /** Reloads from the store now and tells other instances (Redis pub/sub) to do the same. */
  invalidate(reason: string): Promise<void>;
  onChange(listener: (snapshot: ConfigSnapshot) => void): () => void;
  /** Current policies of a kind that apply to a request, most general first (global..token). */
  policiesFor(kind: PolicyKind, ctx: RequestContext): PolicyRecord[];
}

// ---------------------------------------------------------------- host services

export interface SecretBox {
  encrypt(plaintext: string): string;
  decrypt(envelope: string): string;
}

export interface TokenService {
  /** Generates `pc_<env>_<base62>`; returns the plaintext (show once), hash and display prefix. */
  generate(environment: 'live' | 'test' | 'admin'): { plaintext: string; hash: string; prefix: string };
  hash(plaintext: string): string;
  /** Constant-time equality of two hex hashes. */
  equals(a: string, b: string): boolean;
}

export interface AuditSink {
  /** Queues an audit event (hash-chained by the store); never blocks the request. */
  record(event: AuditEventInput): void;
  flush(): Promise<void>;
}

export interface MetricsRegistry {
  counter(name: string, help: string, labelNames?: readonly string[]): { inc(labels?: Record<string, string>, value?: number): void };
  histogram(
    name: string,
    help: string,
    buckets: readonly number[],
    labelNames?: readonly string[],
  ): { observe(labels: Record<string, string> | undefined, value: number): void };
  gauge(name: string, help: string, labelNames?: readonly string[]): { set(labels: Record<string, string> | undefined, value: number): void };
  /** Prometheus text exposition. */
  render(): string;
}

export interface PriceEntry {
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number;
}
export interface PriceTable {
  /** `provider:model`; null when unknown. */
  get(provider: string, model: string): PriceEntry | null;
  /** USD; null when the price is unknown. */
  cost(provider: string, model: string, usage: Usage): number | null;
}

/** Result of a chat call through host.llm: either a whole response or a canonical stream. */
export type ChatResult =
  | { kind: 'response'; response: CanonicalChatResponse }
  | {
      kind: 'stream';
      /**
       * The parts in the batches they arrived in: one array per upstream read (after the onChunk
       * hooks), then the end-of-stream flush. A route that encodes a batch at a time pays one
       * async step per read instead of one per token.
       */
      batches: AsyncIterable<StreamPart[]>;
      /** The same parts one by one (iterate `batches` or `parts`, not both). */
      parts: AsyncIterable<StreamPart>;
    };

/** A target named by an endpoint: provider and model, and optionally a credential other than the project's binding. */
export interface TargetRef {
  provider: string;
  model: string;
  /** Credential name or id; absent = the project's binding for this provider. */
  credential?: string;
}

export interface LlmCallOptions {
  /**
   * Explicit targets (primary first, then fallbacks) instead of resolving `request.model`.
   * Slug endpoints pin their provider, model and credential this way.
   */
  targets?: TargetRef[];
}

export interface LlmService {
  /**
   * Resolves the model, runs beforeUpstream hooks, calls the upstream with retries and
   * fallbacks, and applies onChunk / onStreamEnd / onResponse hooks to what comes back.
   * A beforeUpstream early response surfaces as { kind: 'early' }.
   */
  chat(ctx: RequestContext, request: CanonicalChatRequest, options?: LlmCallOptions): Promise<ChatResult | { kind: 'early'; response: EarlyResponse }>;
  embeddings(
    ctx: RequestContext,
    request: EmbeddingsRequest,
    options?: LlmCallOptions,
  ): Promise<EmbeddingsResponse | { kind: 'early'; response: EarlyResponse }>;
  /** Model ids a project can use: aliases and `provider:*` for enabled providers. */
  listModels(projectId: string): { id: string; isAlias: boolean; target?: string; provider: string }[];
  adapterFor(provider: string): ProviderAdapter | undefined;
}

/** Minimal Redis surface plugins may rely on (ioredis-compatible). */
export type RedisClient = import('ioredis').Redis;

export interface PluginHost {
  readonly apiVersion: typeof PLUGIN_API_VERSION;
  /** Stable id of this gateway instance (differs between two gateways in one process). */
  readonly instanceId: string;
  readonly logger: Logger;
  readonly store: Store;
  readonly config: ConfigService;
  readonly secrets: SecretBox;
  readonly tokens: TokenService;
  readonly audit: AuditSink;
  readonly metrics: MetricsRegistry;
  readonly prices: PriceTable;
  readonly llm: LlmService;
  /** Shared Redis connection when configured; null otherwise. */
  readonly redis: RedisClient | null;
  /** Options the embedding application passed through createGateway (e.g. dev mode). */
  readonly environment: 'production' | 'development' | 'test';
  registerRoute(route: RouteDefinition): void;
  /**
   * Mounts a plain Express handler under the gateway (e.g. the GraphQL admin API at
   * /admin/graphql, OAuth callbacks). It bypasses the request pipeline: the plugin owns auth.
   */
  mount(path: string, handler: RequestHandler): void;
  /** Runs beforeUpstream hooks for non-LLM routes (e.g. the API proxy); LLM routes get it via llm.chat. */
  runBeforeUpstream(ctx: RequestContext): Promise<EarlyResponse | null>;
  /** Another plugin's public API, registered with provide(); undefined when not loaded. */
  getService<T>(name: string): T | undefined;
  provide<T>(name: string, service: T): void;
}

/**
 * A plugin's check of a config it owns (a policy kind, an endpoint type), offered to the admin
 * API and other writers through host.provide under the names from core's config-validators.
 */
export interface ConfigValidationIssue {
  /** Dotted path inside the config, e.g. `customPatterns.0.pattern`. */
  path: string;
  message: string;
}
export type ConfigValidation = { ok: true } | { ok: false; issues: ConfigValidationIssue[] };
export type ConfigValidator = (config: unknown) => ConfigValidation;

export interface PluginModule {
  plugin?: GatewayPlugin<never>;
  default?: GatewayPlugin<never>;
}
