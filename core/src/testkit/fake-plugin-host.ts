import { createLlmCallState } from '../llm/call-state';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type {
  AuditEventInput,
  AuditSink,
  CanonicalChatRequest,
  ConfigService,
  ConfigSnapshot,
  EmbeddingsRequest,
  EndpointRecord,
  LlmCallState,
  Logger,
  MetricsRegistry,
  PluginHost,
  PolicyKind,
  PolicyRecord,
  PriceTable,
  ProjectRecord,
  RedisClient,
  RequestContext,
  RequestState,
  StateKey,
  Target,
  TokenRecord,
} from '../spec';

/**
 * A minimal PluginHost and RequestContext for driving one plugin's hooks in unit tests before
 * (or without) the real host. Only what limit/budget-style plugins use is real; every other
 * member throws when touched, so a test cannot pass by accident through a stub.
 */

/** Properties that inspection (await, jest's printer, util.inspect) probes on any object. */
const INSPECTION_PROPS = new Set(['then', '$$typeof', 'toJSON', 'asymmetricMatch', 'nodeType', 'constructor', 'inspect']);

function untouchable<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_target, prop) {
      if (typeof prop === 'symbol' || INSPECTION_PROPS.has(prop)) return undefined;
      throw new Error(`fake host: ${name}.${String(prop)} is not available in this fake`);
    },
  });
}

export interface RecordedLog {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object | string;
  msg?: string;
}

export function recordingLogger(into: RecordedLog[] = []): Logger & { records: RecordedLog[] } {
  const at = (level: RecordedLog['level']) => (obj: object | string, msg?: string) => {
    into.push(msg === undefined ? { level, obj } : { level, obj, msg });
  };
  const logger = {
    records: into,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}

export interface RecordedMetric {
  name: string;
  labels: Record<string, string> | undefined;
  value: number;
}

export function recordingMetrics(into: RecordedMetric[] = []): MetricsRegistry & { samples: RecordedMetric[] } {
  return {
    samples: into,
    counter: (name) => ({ inc: (labels, value = 1) => void into.push({ name, labels, value }) }),
    histogram: (name) => ({ observe: (labels, value) => void into.push({ name, labels, value }) }),
    gauge: (name) => ({ set: (labels, value) => void into.push({ name, labels, value }) }),
    render: () => '',
  };
}

export interface FakePluginHostOptions {
  redis?: RedisClient | null;
  /** Policies returned by config.policiesFor (filtered by kind); a function is re-read per call. */
  policies?: PolicyRecord[] | (() => PolicyRecord[]);
  prices?: PriceTable;
  instanceId?: string;
}

export interface FakePluginHost extends PluginHost {
  readonly auditEvents: AuditEventInput[];
  readonly logs: RecordedLog[];
  readonly metricSamples: RecordedMetric[];
}

export function createFakePluginHost(options: FakePluginHostOptions = {}): FakePluginHost {
  const auditEvents: AuditEventInput[] = [];
  const logs: RecordedLog[] = [];
  const metricSamples: RecordedMetric[] = [];
  const services = new Map<string, unknown>();
  const policies = () => (typeof options.policies === 'function' ? options.policies() : (options.policies ?? []));
  const audit: AuditSink = { record: (e) => void auditEvents.push(e), flush: async () => {} };
  const config: ConfigService = {
    current: () => untouchable<ConfigSnapshot>('snapshot'),
    invalidate: async () => {},
    onChange: () => () => {},
    policiesFor: (kind: PolicyKind) => policies().filter((p) => p.kind === kind && p.current),
  };
  return {
    apiVersion: 1,
    instanceId: options.instanceId ?? 'fake-instance',
    logger: recordingLogger(logs),
    store: untouchable('store'),
    config,
    secrets: untouchable('secrets'),
    tokens: untouchable('tokens'),
    audit,
    metrics: recordingMetrics(metricSamples),
    prices: options.prices ?? untouchable<PriceTable>('prices'),
    llm: untouchable('llm'),
    redis: options.redis ?? null,
    environment: 'test',
    registerRoute: () => {
      throw new Error('fake host: registerRoute is not available in this fake');
    },
    mount: () => {
      throw new Error('fake host: mount is not available in this fake');
    },
    runBeforeUpstream: async () => null,
    getService: <T>(name: string) => services.get(name) as T | undefined,
    provide: <T>(name: string, service: T) => void services.set(name, service),
    auditEvents,
    logs,
    metricSamples,
  };
}

class MapState implements RequestState {
  private readonly slots = new Map<string, unknown>();
  get<T>(key: StateKey<T>): T | undefined {
    return this.slots.get(key.name) as T | undefined;
  }
  set<T>(key: StateKey<T>, value: T): void {
    this.slots.set(key.name, value);
  }
}

const NOW_ISO = '2026-01-01T00:00:00.000Z';

export const fakeProject = (id = 'proj_1'): ProjectRecord => ({
  id,
  createdAt: NOW_ISO,
  updatedAt: NOW_ISO,
  name: id,
  type: 'ai_wrapper',
  environment: 'test',
  active: true,
  logBodies: false,
  metadata: {},
});

export const fakeToken = (id = 'tok_1', projectId = 'proj_1'): TokenRecord => ({
  id,
  createdAt: NOW_ISO,
  updatedAt: NOW_ISO,
  projectId,
  name: id,
  environment: 'test',
  hash: `hash_${id}`,
  prefix: 'pc_test_x',
  scopes: ['chat'],
  endpointAllowlist: [],
  active: true,
  metadata: {},
});

export const fakeTarget = (provider = 'openai', model = 'gpt-4o-mini'): Target => ({
  provider,
  model,
  credential: { id: 'cred_1', name: 'cred', secret: 'sk-test', options: {} },
});

export interface FakeContextOptions {
  id?: string;
  project?: ProjectRecord | null;
  token?: TokenRecord | null;
  endpoint?: EndpointRecord | null;
  /** The LLM request; omit (and llm: null) for a non-LLM route. */
  request?: CanonicalChatRequest | EmbeddingsRequest;
  llm?: Partial<LlmCallState> | null;
  signal?: AbortSignal;
}

export function createFakeRequestContext(options: FakeContextOptions = {}): RequestContext {
  const project = options.project === undefined ? fakeProject() : options.project;
  const token = options.token === undefined ? fakeToken('tok_1', project?.id ?? 'proj_1') : options.token;
  const request: CanonicalChatRequest | EmbeddingsRequest = options.request ?? {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'hello' }],
  };
  const target = fakeTarget('openai', request.model);
  const llm: LlmCallState | null =
    options.llm === null
      ? null
      : createLlmCallState({ request, targets: [target], ...options.llm });
  return {
    id: options.id ?? `req_${randomUUID()}`,
    startedAt: performance.now(),
    startedAtIso: new Date().toISOString(),
    method: 'POST',
    path: '/v1/chat/completions',
    ip: '127.0.0.1',
    headers: {} as IncomingMessage['headers'],
    route: { id: 'chat', scope: 'chat', endpointSlug: null, public: false },
    params: {},
    body: request,
    project,
    endpoint: options.endpoint ?? null,
    auth: token ? { kind: 'token', token, scopes: new Set(token.scopes), subject: null } : null,
    llm,
    state: new MapState(),
    responseHeaders: new Map(),
    logAnnotations: { versions: {}, metadata: {} },
    signal: options.signal ?? new AbortController().signal,
    logger: recordingLogger(),
    snapshot: untouchable<ConfigSnapshot>('snapshot'),
  };
}

/** A current policy record; ids are unique per call unless given. */
export function fakePolicy(
  kind: PolicyKind,
  config: Record<string, unknown>,
  overrides: Partial<PolicyRecord> = {},
): PolicyRecord {
  return {
    id: `pol_${randomUUID()}`,
    createdAt: NOW_ISO,
    updatedAt: NOW_ISO,
    kind,
    level: 'project',
    projectId: 'proj_1',
    targetId: null,
    version: 1,
    current: true,
    config,
    ...overrides,
  };
}
