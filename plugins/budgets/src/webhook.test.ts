import { createHmac } from 'node:crypto';
import { GuardedPoster, SsrfGuard, type GuardedPost } from '@portcullis/core';
import { recordingLogger } from '../../../core/src/testkit/fake-plugin-host';
import { startMockServer, type MockServer } from '../../../core/src/testkit/mock-http';
import { signWebhookBody, WebhookSender } from './webhook';

const SECRET = 'whsec_0123456789abcdef';

describe('signWebhookBody', () => {
  it('is sha256=<hex HMAC of the body>', () => {
    const expected = createHmac('sha256', SECRET).update('{"a":1}').digest('hex');
    expect(signWebhookBody(SECRET, '{"a":1}')).toBe(`sha256=${expected}`);
    expect(signWebhookBody('other-secret-value', '{"a":1}')).not.toBe(`sha256=${expected}`);
  });
});

describe('WebhookSender', () => {
  let server: MockServer | null = null;
  // The mock receivers listen on loopback, which the operator has to open explicitly.
  const poster = new GuardedPoster(new SsrfGuard({ allow: ['127.0.0.1'] }));
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  afterAll(() => poster.close());

  const sender = (over: Partial<ConstructorParameters<typeof WebhookSender>[0]> = {}) =>
    new WebhookSender({ maxAttempts: 3, baseDelayMs: 5, timeoutMs: 1000, logger: recordingLogger(), post: poster.post, ...over });

  it('posts a signed JSON body the receiver can verify', async () => {
    server = await startMockServer((_req, res) => void res.writeHead(204).end());
    const s = sender();
    s.send(`${server.url}/hook`, SECRET, 'budget.threshold_reached', { threshold: 0.5 });
    await s.drain();
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.headers['x-portcullis-signature']).toBe(signWebhookBody(SECRET, req.body));
    expect(req.headers['x-portcullis-event']).toBe('budget.threshold_reached');
    expect(JSON.parse(req.body)).toMatchObject({ event: 'budget.threshold_reached', threshold: 0.5, deliveryId: req.headers['x-portcullis-delivery'] });
  });

  it('retries 5xx and 429 with the same delivery id, then stops on success', async () => {
    let calls = 0;
    server = await startMockServer((_req, res) => {
      calls += 1;
      res.writeHead(calls === 1 ? 503 : calls === 2 ? 429 : 200).end();
    });
    const s = sender();
    s.send(server.url, SECRET, 'e', {});
    await s.drain();
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.headers['x-portcullis-delivery'])).size).toBe(1);
  });

  it('does not retry a 4xx refusal and logs the failure without the URL path', async () => {
    server = await startMockServer((_req, res) => void res.writeHead(400).end());
    const logger = recordingLogger();
    const s = sender({ logger });
    s.send(`${server.url}/secret-path?token=abc`, SECRET, 'e', {});
    await s.drain();
    expect(server.requests).toHaveLength(1);
    expect(logger.records).toHaveLength(1);
    expect(JSON.stringify(logger.records[0])).not.toContain('token=abc');
  });

  it('gives up after maxAttempts on an unreachable receiver', async () => {
    const logger = recordingLogger();
    const calls: string[] = [];
    const failingPost: GuardedPost = async (url) => {
      calls.push(url);
      throw new TypeError('fetch failed');
    };
    const s = sender({ logger, post: failingPost });
    s.send('http://127.0.0.1:9/unreachable', SECRET, 'e', {});
    await s.drain();
    expect(calls).toHaveLength(3);
    expect(logger.records.some((r) => r.level === 'warn')).toBe(true);
  });

  it('refuses an internal receiver once, without retrying, and says why in the log', async () => {
    server = await startMockServer((_req, res) => void res.writeHead(204).end());
    const logger = recordingLogger();
    const strict = new GuardedPoster(new SsrfGuard());
    try {
      const s = sender({ logger, post: strict.post });
      s.send(`${server.url}/hook`, SECRET, 'e', {});
      await s.drain();
      expect(server.requests).toHaveLength(0);
      expect(logger.records).toHaveLength(1);
      expect(JSON.stringify(logger.records[0])).toContain('refused');
    } finally {
      await strict.close();
    }
  });

  it('reaches a real receiver through the guarded poster (loopback allow-listed)', async () => {
    server = await startMockServer((_req, res) => void res.writeHead(200).end());
    const s = sender();
    s.send(`${server.url}/ok`, SECRET, 'e', {});
    await s.drain();
    expect(server.requests.map((r) => r.url)).toEqual(['/ok']);
  });

  it('returns from send at once and close() abandons pending retries', async () => {
    server = await startMockServer((_req, res) => void res.writeHead(500).end());
    const s = sender({ baseDelayMs: 10_000, maxAttempts: 5 });
    const started = Date.now();
    s.send(server.url, SECRET, 'e', {});
    // send returned before the delivery even reached the receiver: it never waits on the network.
    expect(server.requests).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 100));
    await s.close();
    // The next retry was 10 s away; close() did not wait for it.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(1);
    s.send(server.url, SECRET, 'e', {}); // ignored after close
    await s.drain();
    expect(server.requests).toHaveLength(1);
  });
});
