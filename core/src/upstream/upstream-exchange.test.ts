import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_TRANSPORT_OPTIONS, Transport } from './transport';

/** A real upstream whose behaviour each test scripts; counts connections and closed requests. */
async function upstream(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{
  url: string;
  connections: () => number;
  closedEarly: () => number;
  close: () => Promise<void>;
}> {
  let connections = 0;
  let closedEarly = 0;
  const server: Server = createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) closedEarly += 1;
    });
    handle(req, res);
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions?api-version=1`,
    connections: () => connections,
    closedEarly: () => closedEarly,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const post = (url: string) => ({ method: 'POST' as const, url, headers: { 'content-type': 'application/json' }, body: '{"q":1}', warnings: [] });
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await tick(10);
  }
}

describe('upstream exchange (undici dispatch, no Readable)', () => {
  let transport: Transport;
  beforeEach(() => {
    transport = new Transport();
  });
  afterEach(async () => {
    await transport.close().catch(() => undefined);
  });

  it('answers status, headers (repeated ones too), the path with its query, and the body as text', async () => {
    let seen = { path: '', body: '' };
    const up = await upstream((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen = { path: req.url ?? '', body };
        res.writeHead(201, [['content-type', 'application/json'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2'], ['x-request-id', 'up-1']]);
        res.end('{"ok":"é"}');
      });
    });
    try {
      const res = await transport.send(post(up.url), new AbortController().signal);
      expect(res.status).toBe(201);
      expect(res.headers.get('x-request-id')).toBe('up-1');
      expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      expect(await res.body.text()).toBe('{"ok":"é"}');
      expect(seen).toEqual({ path: '/v1/chat/completions?api-version=1', body: '{"q":1}' });
    } finally {
      await up.close();
    }
  });

  it('yields a stream chunk by chunk as it arrives, then ends', async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let n = 0;
      const timer = setInterval(() => {
        res.write(`data: ${n}\n\n`);
        if (++n === 5) {
          clearInterval(timer);
          res.end();
        }
      }, 5);
    });
    try {
      const res = await transport.send(post(up.url), new AbortController().signal);
      const got: string[] = [];
      for await (const chunk of res.body) got.push(Buffer.from(chunk).toString());
      expect(got.join('')).toBe('data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n');
      expect(got.length).toBeGreaterThan(1); // not buffered whole
    } finally {
      await up.close();
    }
  });

  it('stops reading the socket while nobody reads the body (back-pressure), and delivers every byte after', async () => {
    const total = 16 * 1024 * 1024;
    let sent = 0;
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = (): void => {
        while (sent < total) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    try {
      const res = await transport.send(post(up.url), new AbortController().signal);
      await tick(300);
      // The sender is held back: what it managed to write is socket buffers plus our 64 KB queue.
      expect(sent).toBeLessThan(total / 2);
      let received = 0;
      for await (const chunk of res.body) received += chunk.length;
      expect(received).toBe(total);
    } finally {
      await up.close();
    }
  });

  it('rejects the response when the signal aborts before the headers', async () => {
    const up = await upstream(() => undefined); // never answers
    const abort = new AbortController();
    try {
      const pending = transport.send(post(up.url), abort.signal);
      await waitUntil(() => up.connections() === 1);
      abort.abort();
      const err = await pending.then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'GW_ERR_UPSTREAM_UNREACHABLE', message: 'The request was aborted.' });
      await waitUntil(() => up.closedEarly() === 1);
    } finally {
      await up.close();
    }
  });

  it('fails the body and closes the upstream request when the signal aborts mid-stream', async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    });
    const abort = new AbortController();
    try {
      const res = await transport.send(post(up.url), abort.signal);
      const iterator = res.body[Symbol.asyncIterator]();
      expect((await iterator.next()).done).toBe(false);
      const next = iterator.next();
      abort.abort();
      await expect(next).rejects.toBeDefined();
      await waitUntil(() => up.closedEarly() === 1);
    } finally {
      await up.close();
    }
  });

  it('closes the upstream request when the consumer stops reading early', async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    });
    try {
      const res = await transport.send(post(up.url), new AbortController().signal);
      for await (const chunk of res.body) {
        expect(Buffer.from(chunk).toString()).toBe('data: first\n\n');
        break;
      }
      await waitUntil(() => up.closedEarly() === 1);
    } finally {
      await up.close();
    }
  });

  it('dump() drains a short rest and keeps the connection for the next request', async () => {
    const up = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('a'.repeat(1000));
      setTimeout(() => res.end('b'.repeat(1000)), 20);
    });
    try {
      const first = await transport.send(post(up.url), new AbortController().signal);
      await first.body.dump();
      await tick(10); // the pool marks the connection free after the response completes
      const second = await transport.send(post(up.url), new AbortController().signal);
      expect((await second.body.text()).length).toBe(2000);
      expect(up.connections()).toBe(1);
      expect(up.closedEarly()).toBe(0);
    } finally {
      await up.close();
    }
  });

  it('reports a body that goes silent as a timeout, and a cut connection as unreachable', async () => {
    const silent = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
    });
    const cut = await upstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const quick = new Transport({ ...DEFAULT_TRANSPORT_OPTIONS, bodyTimeoutMs: 100 });
    const signal = new AbortController().signal;
    const drain = async (body: AsyncIterable<Uint8Array>): Promise<unknown> => {
      try {
        for await (const _ of body) void _;
        return null;
      } catch (err) {
        return err;
      }
    };
    try {
      const timedOut = await drain((await quick.send(post(silent.url), signal)).body);
      expect(quick.mapNetworkError(timedOut, signal).code).toBe('GW_ERR_UPSTREAM_TIMEOUT');
      const broken = await drain((await transport.send(post(cut.url), signal)).body);
      expect(broken).not.toBeNull();
      expect(transport.mapNetworkError(broken, signal).code).toBe('GW_ERR_UPSTREAM_UNREACHABLE');
    } finally {
      await quick.close();
      await silent.close();
      await cut.close();
    }
  });
});
