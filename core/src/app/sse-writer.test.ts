import { EventEmitter } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchedSseWriter } from './sse-writer';

/** A real server so chunked encoding, headers and socket writes are Node's own. */
async function withServer(handler: (res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    handler(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => request(url, resolve).on('error', reject).end());
}

async function readAll(res: IncomingMessage): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk.toString('utf8'));
  return chunks;
}

describe('BatchedSseWriter', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  it('writes the frames of one turn, then the rest at end, in order and SSE-framed', async () => {
    const writes: string[] = [];
    const started = await withServer((res) => {
      const original = res.write.bind(res);
      res.write = ((chunk: string) => {
        writes.push(chunk);
        return original(chunk);
      }) as typeof res.write;
      const sse = new BatchedSseWriter(res);
      void sse.data('{"n":1}');
      void sse.data('{"n":2}');
      setImmediate(() =>
        setImmediate(() => {
          void sse.data('{"n":3}');
          void sse.data('[DONE]');
          sse.end();
        }),
      );
    });
    server = started.server;
    const res = await get(started.url);
    expect(res.statusCode).toBe(200);
    expect((await readAll(res)).join('')).toBe('data: {"n":1}\n\ndata: {"n":2}\n\ndata: {"n":3}\n\ndata: [DONE]\n\n');
    // The first two frames left in one write; the last two with end().
    expect(writes).toEqual(['data: {"n":1}\n\ndata: {"n":2}\n\n']);
  });

  it('sends the headers within the turn even when no frame follows yet', async () => {
    let finish: (() => void) | undefined;
    const started = await withServer((res) => {
      const sse = new BatchedSseWriter(res);
      finish = () => sse.end();
    });
    server = started.server;
    const res = await get(started.url);
    expect(res.headers['content-type']).toBe('text/event-stream');
    finish!();
    expect(await readAll(res)).toEqual([]);
  });

  it('hands each payload to the capture callback and reports closed after end', async () => {
    const seen: string[] = [];
    let writer: BatchedSseWriter | undefined;
    const started = await withServer((res) => {
      writer = new BatchedSseWriter(res, (p) => seen.push(p));
      void writer.data('a');
      writer.end();
      void writer.data('ignored after end');
    });
    server = started.server;
    const res = await get(started.url);
    expect((await readAll(res)).join('')).toBe('data: a\n\n');
    expect(seen).toEqual(['a']);
    expect(writer!.closed).toBe(true);
  });

  it('writes a large batch at once and makes the producer wait for drain when the socket is full', async () => {
    const res = new FakeResponse();
    const sse = new BatchedSseWriter(res as unknown as ServerResponse);
    const big = 'x'.repeat(70 * 1024);
    void sse.data(big);
    // Past the threshold the batch leaves at once, not at the end of the turn.
    expect(res.writes).toEqual([`data: ${big}\n\n`]);
    let settled = false;
    const full = sse.data('after');
    expect(full).toBeInstanceOf(Promise);
    const waited = (full as Promise<void>).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(res.writes).toHaveLength(2); // 'after' went out at the end of the turn
    expect(settled).toBe(false);
    res.emit('drain');
    await waited;
    expect(settled).toBe(true);
    // After the drain the writer no longer holds the producer back.
    expect(sse.data('next')).toBeUndefined();
  });
});

/** The slice of ServerResponse the writer uses, with a socket that is always full. */
class FakeResponse extends EventEmitter {
  writes: string[] = [];
  destroyed = false;
  writableEnded = false;
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return false;
  }
  end(): void {
    this.writableEnded = true;
  }
  flushHeaders(): void {}
}
