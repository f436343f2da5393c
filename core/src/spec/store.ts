/**
 * Store contract v1. Two drivers implement it (embedded SQLite and MongoDB via mongoose) and
 * pass one shared contract suite (core/src/store/contract). Every write is a single-document
 * atomic operation: no driver relies on multi-document transactions.
 */
export const STORE_SPEC_VERSION = 'v1' as const;

export type ProjectType = 'ai_wrapper' | 'ai_gateway' | 'api_proxy';

export interface BaseRecord {
  id: string;
  createdAt: string; // ISO-8601
  updatedAt: string;
}

export interface ProjectRecord extends BaseRecord {
  name: string;
  type: ProjectType;
  environment: string;
  active: boolean;
  /** Opt-in request/response body logging (redacted by guardrails when they are on). */
  logBodies: boolean;
  metadata: Record<string, string>;
}

export interface CredentialRecord extends BaseRecord {
  name: string;
  provider: string;
  /** Envelope-encrypted secret (see security/envelope). Never returned by any API. */
  secretEnc: string;
  /** Masked display hint such as `sk-…9xQ2`. */
  hint: string;
  baseUrl?: string | null;
  /** Non-secret provider options (region, apiVersion, accessKeyId, ...). */
  options: Record<string, string>;
}

export interface ProviderBindingRecord extends BaseRecord {
  projectId: string;
  provider: string;
  credentialId: string;
  enabled: boolean;
  baseUrl?: string | null;
}

export interface AliasPresets {
  system?: string;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
}

export interface AliasRecord extends BaseRecord {
  projectId: string;
  name: string;
  /** `provider:model`. */
  target: string;
  /** Tried in order when the target fails with a retryable error. */
  fallbacks: string[];
  presets: AliasPresets;
}

export interface EndpointRecord extends BaseRecord {
  projectId: string;
  slug: string;
  /** Monotonic; every update writes an immutable row to endpointVersions too. */
  version: number;
  active: boolean;
  /** Plugin-defined config (ai-gateway or api-proxy), validated by that plugin's schema. */
  config: Record<string, unknown>;
}

export interface EndpointVersionRecord extends BaseRecord {
  endpointId: string;
  projectId: string;
  version: number;
  config: Record<string, unknown>;
}

export type TokenEnvironment = 'live' | 'test';

export interface TokenRecord extends BaseRecord {
  projectId: string;
  name: string;
  environment: TokenEnvironment;
  /** HMAC-SHA256 of the plaintext (hex). Unique. */
  hash: string;
  /** Display prefix, e.g. `pc_live_AbC1…`. */
  prefix: string;
  scopes: string[];
  expiresAt?: string | null;
  /** Endpoint slugs this token may call; empty = all. */
  endpointAllowlist: string[];
  /** Subject (end user) for per-user OAuth connections and attribution. */
  subject?: string | null;
  active: boolean;
  revokedAt?: string | null;
  /** During rotation: the previous hash stays valid until previousExpiresAt. */
  previousHash?: string | null;
  previousExpiresAt?: string | null;
  lastUsedAt?: string | null;
  metadata: Record<string, string>;
}

export type PolicyKind = 'rate_limit' | 'budget' | 'guardrail';
export type PolicyLevel = 'global' | 'project' | 'endpoint' | 'token' | 'alias';

export interface PolicyRecord extends BaseRecord {
  kind: PolicyKind;
  level: PolicyLevel;
  /** Project id for project/endpoint/token/alias levels. */
  projectId?: string | null;
  /** Endpoint id, token id or alias name, by level. */
  targetId?: string | null;
  /** Monotonic per (kind, level, projectId, targetId); earlier versions stay for audit. */
  version: number;
  /** Only the newest version of a policy is current. */
  current: boolean;
  config: Record<string, unknown>;
}

export interface OAuthConnectionRecord extends BaseRecord {
  projectId: string;
  name: string;
  preset: string;
  /** Subject for per-user connections; null for the project's service connection. */
  subject?: string | null;
  clientId: string;
  clientSecretEnc: string;
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string[];
  accessTokenEnc?: string | null;
  refreshTokenEnc?: string | null;
  tokenType?: string | null;
  expiresAt?: string | null;
  status: 'pending' | 'connected' | 'disconnected' | 'error';
}

export interface AdminKeyRecord extends BaseRecord {
  name: string;
  role: 'admin' | 'viewer';
  hash: string;
  prefix: string;
  active: boolean;
  lastUsedAt?: string | null;
}

export interface RequestLogRecord {
  id: string; // request id
  at: string; // ISO time the request started
  projectId?: string | null;
  tokenId?: string | null;
  endpoint?: string | null;
  route: string;
  method: string;
  provider?: string | null;
  modelRequested?: string | null;
  modelResolved?: string | null;
  status: number;
  stream: boolean;
  latencyMs: number;
  /** Time to first byte written to the client. */
  ttfbMs?: number | null;
  upstreamLatencyMs?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  cachedInputTokens?: number | null;
  reasoningTokens?: number | null;
  /** USD; null when the price is unknown (never recorded as 0 in that case). */
  costUsd?: number | null;
  errorCode?: string | null;
  attempts?: number;
  /** Versions of policies/endpoints in force, for audit (`guardrail:3`, `endpoint:7`). */
  versions?: Record<string, number>;
  requestBody?: string | null;
  responseBody?: string | null;
  metadata?: Record<string, string>;
}

export type AuditSeverity = 'info' | 'warning' | 'critical';

export interface AuditEventInput {
  event: string;
  severity: AuditSeverity;
  actor: { type: 'admin_key' | 'token' | 'system' | 'cli' | 'anonymous'; id?: string | null; name?: string | null };
  projectId?: string | null;
  target?: { type: string; id?: string | null; name?: string | null } | null;
  metadata?: Record<string, string | number | boolean | null>;
  ip?: string | null;
}

export interface AuditEventRecord extends AuditEventInput {
  id: string;
  /** Position in the deployment's hash chain, from 1. */
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

/** Equality filter on top-level fields. */
export type Filter<T> = { [K in keyof T]?: T[K] };

export class StoreConflictError extends Error {
  constructor(
    readonly entity: string,
    readonly fields: string[],
  ) {
    super(`${entity}: a record with the same ${fields.join(', ')} already exists`);
    this.name = 'StoreConflictError';
  }
}

/** Create input: the store fills id (when absent), createdAt and updatedAt. */
export type NewRecord<T extends BaseRecord> = Omit<T, 'createdAt' | 'updatedAt' | 'id'> & { id?: string };

export interface Repository<T extends BaseRecord> {
  get(id: string): Promise<T | null>;
  findOne(filter: Filter<T>): Promise<T | null>;
  find(filter?: Filter<T>): Promise<T[]>;
  /** Throws StoreConflictError on a unique-index violation. */
  create(input: NewRecord<T>): Promise<T>;
  /** Atomic partial update; returns the new record or null when absent. */
  update(id: string, patch: Partial<Omit<T, 'id' | 'createdAt'>>): Promise<T | null>;
  /**
   * Atomic insert-or-update keyed by `filter` (a unique key): concurrent upserts of the same
   * key leave exactly one record.
   */
  upsert(filter: Filter<T>, input: NewRecord<T>): Promise<T>;
  delete(id: string): Promise<boolean>;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; null at the end. */
  nextCursor: string | null;
}

export interface RequestLogQuery {
  projectId?: string;
  tokenId?: string;
  provider?: string;
  model?: string;
  status?: number;
  errorCode?: string;
  from?: string;
  to?: string;
  /** Newest first. */
  cursor?: string | null;
  limit?: number;
}

export interface UsageSummaryQuery {
  from: string;
  to: string;
  projectId?: string;
  groupBy: 'project' | 'provider' | 'model' | 'token';
}

export interface UsageSummaryRow {
  key: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Requests whose price was unknown (not included in costUsd). */
  unpricedRequests: number;
}

export interface RequestLogStore {
  /** Batched: one transaction / bulk insert per call. */
  appendMany(records: RequestLogRecord[]): Promise<void>;
  get(id: string): Promise<RequestLogRecord | null>;
  query(q: RequestLogQuery): Promise<Page<RequestLogRecord>>;
  summarize(q: UsageSummaryQuery): Promise<UsageSummaryRow[]>;
}

export interface AuditQuery {
  projectId?: string;
  event?: string;
  /** Prefix match, e.g. `token.` */
  eventPrefix?: string;
  severity?: AuditSeverity;
  from?: string;
  to?: string;
  cursor?: string | null;
  limit?: number;
}

export interface AuditStore {
  /**
   * Appends to the hash chain atomically (concurrent appenders from several instances each
   * get a distinct seq and link to the right predecessor).
   * hash = sha256(prevHash + canonical JSON of the event without id/hash).
   */
  append(input: AuditEventInput): Promise<AuditEventRecord>;
  /** Oldest first from `afterSeq`, for verify and export. */
  range(afterSeq: number, limit: number): Promise<AuditEventRecord[]>;
  query(q: AuditQuery): Promise<Page<AuditEventRecord>>;
}

/** Small key-value settings (token pepper, schema version, ...). */
export interface SettingsStore {
  get(key: string): Promise<string | null>;
  /** Sets only when absent; returns the value that is stored afterwards (first writer wins). */
  setIfAbsent(key: string, value: string): Promise<string>;
  set(key: string, value: string): Promise<void>;
}

export interface Store {
  specVersion: typeof STORE_SPEC_VERSION;
  driver: 'embedded' | 'mongo' | string;
  projects: Repository<ProjectRecord>;
  credentials: Repository<CredentialRecord>;
  bindings: Repository<ProviderBindingRecord>;
  aliases: Repository<AliasRecord>;
  endpoints: Repository<EndpointRecord>;
  endpointVersions: Repository<EndpointVersionRecord>;
  tokens: Repository<TokenRecord>;
  policies: Repository<PolicyRecord>;
  oauthConnections: Repository<OAuthConnectionRecord>;
  adminKeys: Repository<AdminKeyRecord>;
  requestLogs: RequestLogStore;
  audit: AuditStore;
  settings: SettingsStore;
  /** Cheap liveness check for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Unique keys every driver enforces (the contract suite checks each):
 * projects(name) is NOT unique (two teams may share a name); credentials(name);
 * bindings(projectId, provider); aliases(projectId, name); endpoints(projectId, slug);
 * endpointVersions(endpointId, version); tokens(hash); policies(kind, level, projectId, targetId, version);
 * oauthConnections(projectId, name, subject); adminKeys(hash).
 */
export const UNIQUE_KEYS = {
  projects: [],
  credentials: [['name']],
  bindings: [['projectId', 'provider']],
  aliases: [['projectId', 'name']],
  endpoints: [['projectId', 'slug']],
  endpointVersions: [['endpointId', 'version']],
  tokens: [['hash']],
  policies: [['kind', 'level', 'projectId', 'targetId', 'version']],
  oauthConnections: [['projectId', 'name', 'subject']],
  adminKeys: [['hash']],
} as const satisfies Record<string, readonly (readonly string[])[]>;
