import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { ConfigService, Logger, RouteDefinition } from '../spec/plugin';
import type { RequestLogRecord } from '../spec/store';
import { GatewayError, toGatewayError } from '../errors/gateway-error';
import type { RequestLogQueue } from '../logs/log-queue';
import type { PrometheusRegistry } from '../metrics/registry';
import { runErrorHooks, runGateHooks, runLogHooks } from '../pipeline/hook-runner';
import type { HookTable } from '../pipeline/plugin-registry';
import { GatewayRequestContext } from '../pipeline/request-context';
import { scrubSecrets } from '../util/logger';
import { requestIdFrom } from '../util/request-id';
import { readJsonBody } from './read-body';
import { GatewayRouteIO, LOGGED_BODY_LIMIT } from './route-io';

interface Attached {
  config: ConfigService;
  logQueue: RequestLogQueue;
  metrics: PrometheusRegistry;
}

/** The URL without its query string. */
const pathOf = (url: string): string => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000];

/**
 * Wraps each plugin route in the request pipeline: request id, project lookup from the
 * snapshot, onRequest (auth), fail-closed auth check, body limits, the route's handler, the
 * OpenAI error envelope (or an in-band SSE error once streaming), and the log record.
 */
export class RouteHandlerFactory {
  accepting = true;
  private attached: Attached | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private requestsTotal: ReturnType<PrometheusRegistry['counter']> | null = null;
  private latency: ReturnType<PrometheusRegistry['histogram']> | null = null;

  constructor(private readonly deps: { logger: Logger; bodyLimitBytes: number; hooks: () => HookTable }) {}

  attach(attached: Attached): void {
    this.attached = attached;
    this.requestsTotal = attached.metrics.counter('portcullis_requests_total', 'Requests by route, status and provider', ['route', 'status', 'provider']);
    this.latency = attached.metrics.histogram('portcullis_request_duration_ms', 'Request latency in ms', LATENCY_BUCKETS_MS, ['route']);
    attached.metrics.gauge('portcullis_log_queue_dropped', 'Request log records dropped').set(undefined, 0);
  }

  create(route: RouteDefinition): RequestHandler {
    const info = { id: route.id, scope: route.scope ?? null, endpointSlug: null as string | null, public: route.public === true };
    return ((req: Request, res: Response) => {
      const done = this.handle(route, info, req, res);
      this.inFlight.add(done);
      void done.finally(() => this.inFlight.delete(done));
    }) as RequestHandler;
  }

  private async handle(route: RouteDefinition, info: { id: string; scope: string | null; endpointSlug: string | null; public: boolean }, req: Request, res: Response): Promise<void> {
    const attached = this.attached!;
    const hooks = this.deps.hooks();
    const id = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', id);
    const abort = new AbortController();
    // One listener does both jobs: a close before the response finished is the client going
    // away (abort the upstream call); any close means the response is done (log it). Node emits
    // 'close' on every response, after 'finish' when it completed.
    const finished = new Promise<void>((resolve) => {
      res.once('close', () => {
        if (!res.writableFinished) abort.abort();
        resolve();
      });
    });
    const params = { ...(req.params as Record<string, string>) };
    const snapshot = attached.config.current();
    const slug = route.slugParam ? (params[route.slugParam] ?? null) : null;
    const ctx = new GatewayRequestContext({
      id,
      req,
      path: pathOf(req.originalUrl),
      route: slug ? { ...info, endpointSlug: slug } : info,
      params,
      snapshot,
      logger: this.deps.logger,
      signal: abort.signal,
    });
    const io = new GatewayRouteIO(ctx, req, res);
    try {
      if (route.projectTypes) {
        const project = snapshot.projects.get(params['project'] ?? '');
        // Unknown project and wrong project type answer alike: nothing tells a caller what exists.
        if (!project) throw new GatewayError('GW_ERR_PROJECT_NOT_FOUND');
        if (!route.projectTypes.includes(project.type)) throw new GatewayError('GW_ERR_PROJECT_WRONG_TYPE');
        ctx.project = project;
        if (slug) ctx.endpoint = snapshot.endpoints.get(project.id)?.get(slug) ?? null;
      }
      const early = await runGateHooks(hooks.onRequest, ctx);
      if (!route.public && !ctx.auth && !early) {
        // Fail closed: a protected route with no authenticating plugin answers 401, never serves.
        throw new GatewayError('GW_ERR_AUTH_MISSING');
      }
      if (early) {
        io.json(early.status, early.body);
      } else {
        if (ctx.project && !ctx.project.active) throw new GatewayError('GW_ERR_PROJECT_INACTIVE');
        if (route.body === 'json') ctx.body = await readJsonBody(req, this.deps.bodyLimitBytes);
        io.captureBodies = ctx.project?.logBodies === true;
        await route.handle(ctx, io);
      }
    } catch (err) {
      const gwErr = toGatewayError(err);
      if (gwErr.code === 'GW_ERR_INTERNAL') ctx.logger.error({ err: (err as Error) ?? err }, 'unhandled error in route');
      ctx.errorCode = gwErr.publicCode;
      runErrorHooks(hooks.onError, ctx, gwErr);
      this.writeError(ctx, io, gwErr);
    }
    if (!res.writableEnded && !res.destroyed && !io.sseStarted && !res.headersSent) {
      // A handler that returned without answering is a bug; answer rather than hang.
      this.writeError(ctx, io, new GatewayError('GW_ERR_INTERNAL'));
    }
    await finished;
    ctx.status = res.statusCode;
    const record = this.buildLogRecord(ctx, req, abort.signal.aborted);
    if (io.captureBodies) {
      // Opt-in per project; secret-shaped values are scrubbed and bodies capped. For LLM calls the
      // request logged is the one sent upstream, so guardrail masking (when on) applies to it too.
      const sent = ctx.llm?.request ?? ctx.body;
      record.requestBody = sent === undefined ? null : scrubSecrets(JSON.stringify(sent).slice(0, LOGGED_BODY_LIMIT));
      record.responseBody = io.capturedBody === null ? null : scrubSecrets(io.capturedBody);
    }
    await runLogHooks(hooks.onLog, ctx, record);
    attached.logQueue.enqueue(record);
    this.requestsTotal?.inc({ route: route.id, status: String(record.status), provider: record.provider ?? 'none' });
    this.latency?.observe({ route: route.id }, record.latencyMs);
  }

  private writeError(ctx: GatewayRequestContext, io: GatewayRouteIO, err: GatewayError): void {
    for (const [name, value] of Object.entries(err.headers)) ctx.responseHeaders.set(name, value);
    if (io.sseStarted) {
      // Headers are gone: the error travels in-band, then the stream ends.
      io.endSseWithError(JSON.stringify(err.toEnvelope()));
      return;
    }
    if (io.res.headersSent) {
      io.res.destroy();
      return;
    }
    io.json(err.status, err.toEnvelope());
  }

  sendError(req: IncomingMessage, res: ServerResponse, err: GatewayError): void {
    if (res.headersSent) return;
    res.setHeader('x-request-id', requestIdFrom(req.headers['x-request-id']));
    for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
    res.writeHead(err.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(err.toEnvelope()));
  }

  methodNotAllowed(allowed: string): RequestHandler {
    return ((req: Request, res: Response) => {
      res.setHeader('allow', allowed);
      this.sendError(req, res, new GatewayError('GW_ERR_METHOD_NOT_ALLOWED', { message: `Method ${req.method} is not allowed here; use ${allowed}.` }));
    }) as RequestHandler;
  }

  notFound(): RequestHandler {
    return ((req: Request, res: Response) => {
      this.sendError(req, res, new GatewayError('GW_ERR_ROUTE_NOT_FOUND', { message: `Unknown request URL: ${req.method} ${req.originalUrl.split('?')[0]}.` }));
    }) as RequestHandler;
  }

  /** Waits for in-flight requests (streams included) to finish, up to a deadline. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    if (timer) clearTimeout(timer);
  }

  private buildLogRecord(ctx: GatewayRequestContext, req: IncomingMessage, clientAborted: boolean): RequestLogRecord {
    const llm = ctx.llm;
    const now = performance.now();
    const usage = llm?.usage ?? null;
    const record: RequestLogRecord = {
      id: ctx.id,
      at: ctx.startedAtIso,
      projectId: ctx.project?.id ?? null,
      tokenId: ctx.auth?.token.id ?? null,
      endpoint: ctx.route.endpointSlug,
      route: ctx.route.id,
      method: req.method ?? 'GET',
      provider: llm?.target?.provider ?? null,
      modelRequested: llm?.requestedModel ?? null,
      modelResolved: llm?.target?.model ?? null,
      status: clientAborted && ctx.status < 400 ? 499 : ctx.status,
      stream: llm?.stream ?? false,
      latencyMs: Math.round((now - ctx.startedAt) * 100) / 100,
      ttfbMs: ctx.firstByteAt === null ? null : Math.round((ctx.firstByteAt - ctx.startedAt) * 100) / 100,
      upstreamLatencyMs:
        llm?.upstreamStartedAt != null && llm.upstreamHeadersAt != null ? Math.round((llm.upstreamHeadersAt - llm.upstreamStartedAt) * 100) / 100 : null,
      inputTokens: usage?.inputTokens ?? null,
      outputTokens: usage?.outputTokens ?? null,
      cachedInputTokens: usage?.cachedInputTokens ?? null,
      reasoningTokens: usage?.reasoningTokens ?? null,
      costUsd: llm?.costUsd ?? null,
      errorCode: ctx.errorCode ?? (clientAborted ? 'client_closed_request' : null),
      attempts: llm?.attempts ?? 0,
      versions: ctx.logAnnotations.versions,
      metadata: { ...ctx.logAnnotations.metadata, ...(llm?.usageEstimated ? { usageEstimated: 'true' } : {}) },
    };
    return record;
  }
}
