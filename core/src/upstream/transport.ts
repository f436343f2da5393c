import { Agent, errors as undiciErrors, request } from 'undici';
import type { UpstreamRequest } from '../spec/adapter';
import { GatewayError } from '../errors/gateway-error';

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

export interface UpstreamResponse {
  status: number;
  headers: Headers;
  body: AsyncIterable<Uint8Array> & { text(): Promise<string>; dump(): Promise<void> };
}

const toHeaders = (raw: Record<string, string | string[] | undefined>): Headers => {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) h.append(k, item);
    else h.set(k, v);
  }
  return h;
};

/**
 * One keep-alive connection pool per gateway instance (undici Agent: a pool per origin). Network
 * failures become catalogued upstream errors; the caller's signal aborts the request at once.
 */
export class Transport {
  private readonly agent: Agent;

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
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body ?? null,
        signal,
        dispatcher: this.agent,
      });
      return { status: res.statusCode, headers: toHeaders(res.headers), body: res.body };
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
