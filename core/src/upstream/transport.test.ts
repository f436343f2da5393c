import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_TRANSPORT_OPTIONS, Transport } from './transport';

/** An upstream that holds every response open (a stream still thinking) until released. */
async function holdingUpstream(): Promise<{ url: string; open: () => number; release: () => void; close: () => Promise<void> }> {
  const held: ServerResponse[] = [];
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: {}\n\n');
    held.push(res);
  });
  server.maxConnections = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`,
    open: () => held.filter((r) => !r.writableEnded).length,
    release: () => held.forEach((r) => r.end('data: [DONE]\n\n')),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('Transport connection limits', () => {
  const request = (url: string) => ({ method: 'POST' as const, url, headers: { 'content-type': 'application/json' }, body: '{}', warnings: [] });

  it('puts no cap on concurrent streams to one origin by default (the soak found a cap of 128)', async () => {
    expect(DEFAULT_TRANSPORT_OPTIONS.connectionsPerOrigin).toBeNull();
    const upstream = await holdingUpstream();
    const transport = new Transport();
    const abort = new AbortController();
    try {
      const streams = 300;
      const responses = Array.from({ length: streams }, () => transport.send(request(upstream.url), abort.signal));
      // Every request reached the upstream while all the earlier ones are still streaming.
      expect(await waitUntil(() => upstream.open() === streams, 10_000)).toBe(true);
      upstream.release();
      for (const res of await Promise.all(responses)) await res.body.dump();
    } finally {
      abort.abort();
      await transport.close();
      await upstream.close();
    }
  }, 20_000);

  it('honours a configured cap: the next stream waits for a free socket', async () => {
    const upstream = await holdingUpstream();
    const transport = new Transport({ ...DEFAULT_TRANSPORT_OPTIONS, connectionsPerOrigin: 3 });
    const abort = new AbortController();
    try {
      // The two queued requests end aborted when the test tears down; that is expected.
      const responses = Array.from({ length: 5 }, () => transport.send(request(upstream.url), abort.signal).catch(() => null));
      expect(await waitUntil(() => upstream.open() === 3, 5_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(upstream.open()).toBe(3);
      abort.abort();
      await Promise.all(responses);
    } finally {
      abort.abort();
      await transport.close().catch(() => undefined);
      await upstream.close();
    }
  });
});
