import type { IncomingMessage } from 'node:http';
import type {
  AuthInfo,
  ConfigSnapshot,
  LlmCallState,
  Logger,
  RequestContext,
  RequestState,
  RouteInfo,
  StateKey,
} from '../spec/plugin';
import type { EndpointRecord, ProjectRecord } from '../spec/store';

class MapRequestState implements RequestState {
  private readonly slots = new Map<string, unknown>();
  get<T>(key: StateKey<T>): T | undefined {
    return this.slots.get(key.name) as T | undefined;
  }
  set<T>(key: StateKey<T>, value: T): void {
    this.slots.set(key.name, value);
  }
}

export interface RequestContextInit {
  id: string;
  req: IncomingMessage;
  path: string;
  route: RouteInfo;
  params: Record<string, string>;
  snapshot: ConfigSnapshot;
  logger: Logger;
  signal: AbortSignal;
}

export class GatewayRequestContext implements RequestContext {
  readonly id: string;
  readonly startedAt = performance.now();
  readonly startedAtIso = new Date().toISOString();
  readonly method: string;
  readonly path: string;
  readonly ip: string | null;
  readonly headers: IncomingMessage['headers'];
  readonly route: RouteInfo;
  readonly params: Readonly<Record<string, string>>;
  body: unknown = undefined;
  project: ProjectRecord | null = null;
  endpoint: EndpointRecord | null = null;
  auth: AuthInfo | null = null;
  llm: LlmCallState | null = null;
  readonly state: RequestState = new MapRequestState();
  readonly responseHeaders = new Map<string, string>();
  readonly logAnnotations = { versions: {} as Record<string, number>, metadata: {} as Record<string, string> };
  readonly signal: AbortSignal;
  readonly snapshot: ConfigSnapshot;
  private readonly parentLogger: Logger;
  private childLogger: Logger | null = null;
  /** When the first byte went to the client (for ttfb). */
  firstByteAt: number | null = null;
  status = 0;
  errorCode: string | null = null;

  constructor(init: RequestContextInit) {
    this.id = init.id;
    this.method = init.req.method ?? 'GET';
    this.path = init.path;
    this.ip = init.req.socket.remoteAddress ?? null;
    this.headers = init.req.headers;
    this.route = init.route;
    this.params = init.params;
    this.snapshot = init.snapshot;
    this.parentLogger = init.logger;
    this.signal = init.signal;
  }

  /** Created on first use: most requests never log, and a child logger per request is not free. */
  get logger(): Logger {
    return (this.childLogger ??= this.parentLogger.child({ requestId: this.id }));
  }
}
