import { Agent as HttpAgent, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { pipeline } from 'node:stream';
import { GatewayError, SsrfGuard, type BaseLookup } from '@portcullis/core';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import { buildClientResponseHeaders } from './header-policy';

/** One proxied request: where it goes and with which headers. */
export interface ForwardPlan {
  target: URL;
  headers: OutgoingHttpHeaders;
  /** Upstream socket inactivity limit. */
  timeoutMs: number;
  /** The endpoint's SSRF allow list (the lane's DNS check is bound to it). */
  ssrfAllow: readonly string[];
  /** Runs on the upstream response before anything reaches the client; throw to refuse it. */
  inspectResponse?(response: IncomingMessage): Promise<void>;
  /** Called right before the response head is written (apply the gateway's pending headers). */
  beforeHead(): void;
  /** A failure after the head was sent (the client sees a cut stream); for the log. */
  onStreamError(err: Error): void;
}

interface InFlight {
  plan: ForwardPlan;
  settle(err?: unknown): void;
}

/**
 * A lane shares one http-proxy-middleware instance and one connection pool per upstream
 * protocol and SSRF allow list: the agent's DNS-checking lookup is bound to the allow list, so
 * two endpoints with different allow lists never share sockets.
 */
interface Lane {
  agent: HttpAgent;
  middleware: RequestHandler<IncomingMessage, ServerResponse>;
}

const allowKey = (allow: readonly string[]): string => [...allow].map((a) => a.trim().toLowerCase()).sort().join(',');

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function toUpstreamError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code ?? '';
  if (code === 'ETIMEDOUT') return new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', { cause: err });
  if (UNREACHABLE.has(code)) return new GatewayError('GW_ERR_UPSTREAM_UNREACHABLE', { cause: err });
  return new GatewayError('GW_ERR_UPSTREAM_ERROR', { cause: err });
}

/**
 * Streams requests to upstreams with http-proxy-middleware: request bodies are piped to the
 * upstream and responses piped back with back-pressure both ways, so nothing is buffered whole.
 * Redirects are never followed (the response, Location included, is inspected and passed on).
 */
export class ProxyEngine {
  private readonly lanes = new Map<string, Lane>();
  private readonly inFlight = new WeakMap<IncomingMessage, InFlight>();
  private readonly guards = new Map<string, SsrfGuard>();

  /** `resolve` replaces dns.lookup behind every lane's SSRF check (tests). */
  constructor(private readonly resolve?: BaseLookup) {}

  /** One compiled guard per allow list (built once; agents keep them). */
  guardFor(allow: readonly string[]): SsrfGuard {
    const key = allowKey(allow);
    let guard = this.guards.get(key);
    if (!guard) this.guards.set(key, (guard = new SsrfGuard({ allow }, { resolve: this.resolve })));
    return guard;
  }

  forward(req: IncomingMessage, res: ServerResponse, plan: ForwardPlan): Promise<void> {
    const lane = this.laneFor(plan.target.protocol, plan.ssrfAllow);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const entry: InFlight = {
        plan,
        settle: (err) => {
          if (settled) return;
          settled = true;
          this.inFlight.delete(req);
          if (err === undefined) resolve();
          else reject(toUpstreamError(err));
        },
      };
      this.inFlight.set(req, entry);
      // The client went away before the upstream answered: nothing left to do.
      res.once('close', () => entry.settle());
      // http-proxy copies req.headers; handing it the filtered set is the only way to *remove*
      // client headers before the upstream request is built (proxyReq is too late once a body flows).
      (req as { headers: IncomingHttpHeaders }).headers = plan.headers as IncomingHttpHeaders;
      void lane.middleware(req, res, (err?: unknown) => entry.settle(err ?? new Error('proxy middleware skipped the request')));
    });
  }

  /** Closes pooled upstream connections (gateway shutdown). */
  close(): void {
    for (const lane of this.lanes.values()) lane.agent.destroy();
    this.lanes.clear();
  }

  private laneFor(protocol: string, allow: readonly string[]): Lane {
    const key = `${protocol}|${allowKey(allow)}`;
    let lane = this.lanes.get(key);
    if (lane) return lane;
    const guard = this.guardFor(allow);
    const agentOptions = { keepAlive: true, maxSockets: 256, lookup: guard.lookup };
    const agent = protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    const planOf = (req: IncomingMessage): ForwardPlan => {
      const entry = this.inFlight.get(req);
      if (!entry) throw new Error('no plan for a proxied request');
      return entry.plan;
    };
    const middleware = createProxyMiddleware<IncomingMessage, ServerResponse>({
      router: (req) => planOf(req).target.origin,
      pathRewrite: (_path, req) => {
        const { pathname, search } = planOf(req).target;
        return `${pathname}${search}`;
      },
      changeOrigin: true,
      xfwd: false,
      followRedirects: false,
      selfHandleResponse: true,
      agent,
      // Our own handlers replace the defaults (which would answer errors in plain text).
      ejectPlugins: true,
      plugins: [
        (proxyServer) => {
          proxyServer.on('proxyReq', (proxyReq: ClientRequest, req: IncomingMessage) => {
            const plan = planOf(req);
            proxyReq.setTimeout(plan.timeoutMs, () => {
              proxyReq.destroy(new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', { message: `The upstream did not answer within ${plan.timeoutMs} ms.` }));
            });
          });
          proxyServer.on('proxyRes', (proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse) => {
            const entry = this.inFlight.get(req);
            if (entry) void this.deliver(entry, proxyRes, res);
            else proxyRes.destroy();
          });
          proxyServer.on('error', (err: Error, req: IncomingMessage) => this.inFlight.get(req)?.settle(err));
          // The client reset the connection: not an upstream failure.
          proxyServer.on('econnreset', (_err: Error, req: IncomingMessage) => this.inFlight.get(req)?.settle());
        },
      ],
    });
    lane = { agent, middleware };
    this.lanes.set(key, lane);
    return lane;
  }

  private async deliver(entry: InFlight, proxyRes: IncomingMessage, res: ServerResponse): Promise<void> {
    const { plan } = entry;
    try {
      await plan.inspectResponse?.(proxyRes);
    } catch (err) {
      proxyRes.destroy();
      entry.settle(err);
      return;
    }
    if (res.destroyed) {
      proxyRes.destroy();
      entry.settle();
      return;
    }
    plan.beforeHead();
    res.writeHead(proxyRes.statusCode ?? 502, buildClientResponseHeaders(proxyRes.headers));
    pipeline(proxyRes, res, (err) => {
      if (err && !res.writableFinished) {
        plan.onStreamError(err);
        res.destroy();
      }
      entry.settle();
    });
  }
}
