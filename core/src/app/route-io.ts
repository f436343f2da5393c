import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteIO, SseWriter } from '../spec/plugin';
import type { GatewayRequestContext } from '../pipeline/request-context';
import { BatchedSseWriter } from './sse-writer';

/** Writes the context's pending headers once, right before the first byte. */
function applyPendingHeaders(ctx: GatewayRequestContext, res: ServerResponse): void {
  if (res.headersSent) return;
  for (const [name, value] of ctx.responseHeaders) res.setHeader(name, value);
}

/** Most of a body kept in a log record when a project opts in (bodies can be megabytes of base64). */
export const LOGGED_BODY_LIMIT = 32 * 1024;

export class GatewayRouteIO implements RouteIO {
  sseStarted = false;
  /** Set when the project logs bodies: what was sent to the client, capped at LOGGED_BODY_LIMIT. */
  capturedBody: string | null = null;
  captureBodies = false;
  private sse: BatchedSseWriter | null = null;

  private capture(text: string): void {
    if (!this.captureBodies) return;
    const room = LOGGED_BODY_LIMIT - (this.capturedBody?.length ?? 0);
    if (room > 0) this.capturedBody = (this.capturedBody ?? '') + text.slice(0, room);
  }

  constructor(
    private readonly ctx: GatewayRequestContext,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {}

  applyHeaders(): void {
    applyPendingHeaders(this.ctx, this.res);
    if (this.ctx.firstByteAt === null) this.ctx.firstByteAt = performance.now();
  }

  json(status: number, body: unknown): void {
    if (this.res.headersSent) return;
    this.applyHeaders();
    const payload = JSON.stringify(body);
    this.capture(payload);
    this.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    this.res.end(payload);
  }

  startSse(): SseWriter {
    this.applyHeaders();
    // No flushHeaders(): the writer sends the headers with the first batch of frames (one write).
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Tell reverse proxies (nginx) not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    this.sseStarted = true;
    this.sse = new BatchedSseWriter(this.res, this.captureBodies ? (payload) => this.capture(`${payload}\n`) : null);
    return this.sse;
  }

  /** Once streaming, an error travels in-band after the frames already queued, then the stream ends. */
  endSseWithError(payload: string): void {
    if (!this.sse || this.sse.closed) return;
    void this.sse.data(payload);
    this.sse.end();
  }
}
