import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * A transparent HTTP proxy between the gateway and a mock provider that records what the
 * provider was sent, what it answered (raw bytes, SSE included) and when the gateway hung up
 * before the answer ended. The mocks record requests but not their own socket's fate.
 */
export interface TappedExchange {
  url: string;
  requestBody: string;
  responseBody: string;
  /** performance.now() when the gateway closed the connection before the answer ended. */
  closedEarlyAt: number | null;
  /** performance.now() when the answer ended normally. */
  finishedAt: number | null;
}

export interface UpstreamTap {
  /** Base URL to give the gateway instead of the mock's (same path layout). */
  readonly url: string;
  readonly exchanges: TappedExchange[];
  close(): Promise<void>;
}

export async function startUpstreamTap(targetUrl: string): Promise<UpstreamTap> {
  const target = new URL(targetUrl);
  const exchanges: TappedExchange[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const exchange: TappedExchange = { url: req.url ?? '/', requestBody: Buffer.concat(chunks).toString('utf8'), responseBody: '', closedEarlyAt: null, finishedAt: null };
      exchanges.push(exchange);
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.on('data', (c: Buffer) => {
            exchange.responseBody += c.toString('utf8');
            res.write(c);
          });
          answer.on('end', () => {
            exchange.finishedAt = performance.now();
            res.end();
          });
        },
      );
      upstream.on('error', () => res.destroy());
      // The gateway hung up mid-answer: note when, and hang up on the mock too.
      res.on('close', () => {
        if (!res.writableFinished) {
          exchange.closedEarlyAt = performance.now();
          upstream.destroy();
        }
      });
      upstream.end(exchange.requestBody);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    exchanges,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
