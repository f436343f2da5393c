import { request } from 'node:http';
import { auditEvents, startProxyWorld, TOKENS, type ProxyWorld } from './__fixtures__/world';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * node:http with the path passed verbatim: fetch() refuses hop-by-hop headers, and WHATWG URL
 * parsing would normalise `%2e%2e` away before the gateway ever saw it.
 */
function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const match = /^http:\/\/([^/:]+):(\d+)(\/.*)$/.exec(url)!;
  return new Promise((resolve, reject) => {
    const req = request({ hostname: match[1], port: Number(match[2]), path: match[3], method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('api-proxy endpoints (loopback upstream, 127.0.0.1 allow-listed explicitly)', () => {
  let world: ProxyWorld;
  beforeAll(async () => {
    world = await startProxyWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  it('never forwards the client credential, cookies, host or hop-by-hop headers; applies block and inject lists', async () => {
    const res = await rawRequest(world.proxyUrl('plain', '/echo?x=1&y=2'), 'POST', {
      authorization: `Bearer ${TOKENS.app}`,
      cookie: 'session=secret',
      connection: 'keep-alive, x-hop-listed',
      'keep-alive': 'timeout=5',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
      te: 'trailers',
      trailer: 'x-checksum',
      'x-hop-listed': 'hop',
      'x-forwarded-for': '10.9.9.9',
      'x-secret-debug': '1',
      'x-trace': 'trace-1',
      'content-type': 'application/json',
    }, '{"hello":"world"}');
    expect(res.status).toBe(200);
    const echo = JSON.parse(res.body) as Echo;
    expect(echo.method).toBe('POST');
    expect(echo.url).toBe('/echo?x=1&y=2');
    expect(echo.body).toBe('{"hello":"world"}');
    for (const name of ['authorization', 'cookie', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'x-hop-listed', 'x-forwarded-for', 'x-secret-debug'])
      expect(echo.headers[name]).toBeUndefined();
    expect(echo.headers['host']).toBe(new URL(world.github.url).host);
    expect(echo.headers['x-trace']).toBe('trace-1');
    expect(echo.headers['x-injected']).toBe('yes');
    // Response side: the gateway's request id wins, the upstream's is kept under another name.
    expect(res.headers['x-request-id']).not.toBe('upstream-id');
    expect(res.headers['x-upstream-request-id']).toBe('upstream-id');
  });

  it('strips a prefix and drops the query when configured', async () => {
    const res = await fetch(world.proxyUrl('prefixed', '/v3/users/octocat?secret=1'), { headers: bearer(TOKENS.app) });
    const echo = (await res.json()) as Echo;
    expect(echo.url).toBe('/echo/users/octocat');
  });

  it('answers 405 with Allow for methods the endpoint does not accept', async () => {
    const res = await fetch(world.proxyUrl('plain', '/echo'), { method: 'DELETE', headers: bearer(TOKENS.app) });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, PUT');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  it('requires a token with the proxy scope, and refuses dot segments', async () => {
    expect((await fetch(world.proxyUrl('plain', '/echo'))).status).toBe(401);
    expect((await fetch(world.proxyUrl('plain', '/echo'), { headers: bearer(TOKENS.chatOnly) })).status).toBe(403);
    const traversal = await rawRequest(world.proxyUrl('plain', '/a/%2e%2e/login/oauth/access_token'), 'GET', bearer(TOKENS.app));
    expect(traversal.status).toBe(400);
    expect((await fetch(world.proxyUrl('nope', '/x'), { headers: bearer(TOKENS.app) })).status).toBe(404);
  });

  it('refuses a public-looking host name that resolves to 127.0.0.1 (checked after DNS, at connect time)', async () => {
    const before = world.github.requestCount('/echo');
    const res = await fetch(world.proxyUrl('rebind', '/echo'), { headers: bearer(TOKENS.app) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ssrf_blocked');
    expect(world.github.requestCount('/echo')).toBe(before);
  });

  it('refuses an upstream redirect that points at a private address, and audits it', async () => {
    const res = await fetch(world.proxyUrl('plain', '/redirect-private'), { headers: bearer(TOKENS.app), redirect: 'manual' });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ssrf_blocked');
    expect((await auditEvents(world, 'proxy.ssrf_blocked')).length).toBeGreaterThanOrEqual(1);
    // A redirect to a public address passes through untouched (the gateway never follows it).
    const pub = await fetch(world.proxyUrl('plain', '/redirect-public'), { headers: bearer(TOKENS.app), redirect: 'manual' });
    expect(pub.status).toBe(302);
    expect(pub.headers.get('location')).toBe('https://93.184.215.14/elsewhere');
  });

  it('refuses at request time a stored endpoint whose upstream fails the save-time check', async () => {
    const res = await fetch(world.proxyUrl('broken', '/latest/meta-data'), { headers: bearer(TOKENS.app) });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('This proxy endpoint is misconfigured.');
  });

  it('answers 504 when the upstream stays silent past timeoutMs', async () => {
    const started = Date.now();
    const res = await fetch(world.proxyUrl('slow', '/slow'), { headers: bearer(TOKENS.app) });
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers 502 when the upstream cannot be reached', async () => {
    const endpoints = await world.gateway.store.endpoints.find({ slug: 'plain' });
    expect(endpoints).toHaveLength(1);
    // Port 9 on loopback: nothing listens there.
    await world.gateway.store.endpoints.update(endpoints[0]!.id, { config: { ...endpoints[0]!.config, upstream: 'http://127.0.0.1:9' } });
    await world.gateway.gateway.host.config.invalidate('test');
    try {
      const res = await fetch(world.proxyUrl('plain', '/echo'), { headers: bearer(TOKENS.app) });
      expect(res.status).toBe(502);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('upstream_unreachable');
    } finally {
      await world.gateway.store.endpoints.update(endpoints[0]!.id, { config: endpoints[0]!.config });
      await world.gateway.gateway.host.config.invalidate('test');
    }
  });

  it('streams a 32 MB chunked upload to the upstream', async () => {
    const size = 32 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 0x62);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(world.proxyUrl('plain', '/upload'), { method: 'PUT', headers: { ...bearer(TOKENS.app), 'content-type': 'application/octet-stream' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      let sent = 0;
      const pump = (): void => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(200);
    expect(world.github.uploads.at(-1)).toBe(size);
  });
});
