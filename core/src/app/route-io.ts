import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteIO, SseWriter } from '../spec/plugin';
import type { GatewayRequestContext } from '../pipeline/request-context';

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
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Tell reverse proxies (nginx) not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    this.res.flushHeaders();
    this.sseStarted = true;
    const res = this.res;
    const capture = (payload: string): void => this.capture(`${payload}\n`);
    // Frames decoded from one upstream read are written together: cork on the first write and
    // uncork once the event loop has handled that read (one syscall instead of one per frame).
    let corked = false;
    const uncork = (): void => {
      corked = false;
      if (!res.destroyed) res.uncork();
    };
    const writer: SseWriter = {
      get closed() {
        return res.destroyed || res.writableEnded;
      },
      data(payload: string): Promise<void> {
        if (writer.closed) return Promise.resolve();
        capture(payload);
        if (!corked) {
          corked = true;
          res.cork();
          setImmediate(uncork);
        }
        if (res.write(`data: ${payload}\n\n`)) return Promise.resolve();
        return new Promise((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.once('drain', done);
          res.once('close', done);
        });
      },
      end(): void {
        if (corked) uncork();
        if (!writer.closed) res.end();
      },
    };
    return writer;
  }
}
