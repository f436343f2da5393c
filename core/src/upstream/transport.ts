import { Agent, errors as undiciErrors } from 'undici';
import type { UpstreamRequest } from '../spec/adapter';
import { GatewayError } from '../errors/gateway-error';
import { UpstreamExchange, type UpstreamResponse } from './upstream-exchange';

export type { UpstreamBody, UpstreamResponse } from './upstream-exchange';

export interface TransportOptions {
  /** Max time to connect (ms). */
  connectTimeoutMs: number;
  /** Max wait for response headers (ms); LLMs think before they answer. */
  headersTimeoutMs: number;
  /** Max silence between body chunks (ms). */
  bodyTimeoutMs: number;
  /**
   * Most sockets open to one upstream origin at once; null = no cap. Over HTTP/1.1 every stream
   * holds a socket for its whole length, so a cap is a cap on concurrent streams per provider
   * across all tenants: the default sets none (1,000 slow streams to api.openai.com need 1,000).
   */
  connectionsPerOrigin: number | null;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 120_000,
  bodyTimeoutMs: 300_000,
  connectionsPerOrigin: null,
};

/** Distinct upstream URLs remembered at once (a few per provider, model and region). */
const MAX_REMEMBERED_URLS = 1024;

/**
 * An upstream URL split the way undici keys its pools (`URL.origin`, then path and query). A
 * gateway sends to a handful of distinct URLs, so each is parsed once: `new URL` on every
 * request was a measurable share of the hot path. Bounded: cleared when full.
 */
class UrlSplitCache {
  private readonly splits = new Map<string, { origin: string; path: string }>();
  split(url: string): { origin: string; path: string } {
    let hit = this.splits.get(url);
    if (hit === undefined) {
      const parsed = new URL(url);
      hit = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      if (this.splits.size >= MAX_REMEMBERED_URLS) this.splits.clear();
      this.splits.set(url, hit);
    }
    return hit;
  }
}

/**
 * One keep-alive connection pool per gateway instance (undici Agent: a pool per origin). Network
 * failures become catalogued upstream errors; the caller's signal aborts the request at once.
 */
export class Transport {
  private readonly agent: Agent;
  private readonly urls = new UrlSplitCache();

  constructor(private readonly options: TransportOptions = DEFAULT_TRANSPORT_OPTIONS) {
    this.agent = new Agent({
      connect: { timeout: options.connectTimeoutMs },
      connections: options.connectionsPerOrigin,
      keepAliveTimeout: 30_000,
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
    });
  }

  async send(req: UpstreamRequest, signal: AbortSignal): Promise<UpstreamResponse> {
    try {
      const { origin, path } = this.urls.split(req.url);
      const exchange = new UpstreamExchange(signal);
      this.agent.dispatch({ origin, path, method: req.method, headers: req.headers, body: req.body ?? null }, exchange);
      return await exchange.response;
    } catch (err) {
      throw this.mapNetworkError(err, signal);
    }
  }

  mapNetworkError(err: unknown, signal: AbortSignal): GatewayError {
    if (err instanceof GatewayError) return err;
    if (signal.aborted) return new GatewayError('GW_ERR_UPSTREAM_UNREACHABLE', { message: 'The request was aborted.', cause: err });
    if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError || err instanceof undiciErrors.ConnectTimeoutError)
      return new GatewayError('GW_ERR_UPSTREAM_TIMEOUT', { cause: err });
    return new GatewayError('GW_ERR_UPSTREAM_UNREACHABLE', { cause: err });
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
