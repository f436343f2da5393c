import { GatewayError } from '../errors/gateway-error';
import { SsrfGuard } from '../security/ssrf';
import { fakeDns } from '../testkit/fake-dns';
import { startMockServer, type MockServer } from '../testkit/mock-http';
import { GuardedPoster } from './guarded-post';

/** The GatewayError somewhere on an error's cause chain (undici wraps connect failures). */
function ssrfCodeOf(err: unknown): string | null {
  for (let e: unknown = err; e instanceof Error; e = (e as Error & { cause?: unknown }).cause) {
    if (e instanceof GatewayError) return e.code;
  }
  return null;
}

const init = () => ({ headers: { 'content-type': 'application/json' }, body: '{"a":1}', signal: AbortSignal.timeout(5000) });

describe('GuardedPoster', () => {
  let server: MockServer;
  let posters: GuardedPoster[] = [];
  const poster = (guard: SsrfGuard): GuardedPoster => {
    const p = new GuardedPoster(guard);
    posters.push(p);
    return p;
  };
  beforeEach(async () => {
    server = await startMockServer((_req, res) => void res.writeHead(204).end());
  });
  afterEach(async () => {
    await Promise.all(posters.map((p) => p.close()));
    posters = [];
    await server.close();
  });

  it('posts to an allow-listed address and answers its status', async () => {
    const result = await poster(new SsrfGuard({ allow: ['127.0.0.1'] })).post(`${server.url}/hook`, init());
    expect(result).toEqual({ status: 204 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/hook', body: '{"a":1}' });
  });

  it.each([
    ['loopback literal', (port: number) => `http://127.0.0.1:${port}/hook`],
    ['localhost name', (port: number) => `http://localhost:${port}/hook`],
    ['credentials in the URL', () => 'https://user:pass@hooks.example.com/hook'],
    ['a non-http scheme', () => 'file:///etc/passwd'],
  ])('refuses %s before connecting', async (_label, url) => {
    const err = await poster(new SsrfGuard()).post(url(Number(new URL(server.url).port)), init()).catch((e: unknown) => e);
    expect(ssrfCodeOf(err)).toBe('GW_ERR_PROXY_SSRF');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a public-looking name that resolves to an internal address (checked at connect)', async () => {
    const guard = new SsrfGuard({}, { resolve: fakeDns({ 'hooks.example.com': ['127.0.0.1'] }) });
    const port = new URL(server.url).port;
    const err = await poster(guard).post(`http://hooks.example.com:${port}/hook`, init()).catch((e: unknown) => e);
    expect(ssrfCodeOf(err)).toBe('GW_ERR_PROXY_SSRF');
    expect(server.requests).toHaveLength(0);
  });

  it('connects through the guard lookup: an allow-listed name reaches what it resolves to', async () => {
    const guard = new SsrfGuard({ allow: ['hooks.internal.test'] }, { resolve: fakeDns({ 'hooks.internal.test': ['127.0.0.1'] }) });
    const port = new URL(server.url).port;
    await expect(poster(guard).post(`http://hooks.internal.test:${port}/hook`, init())).resolves.toEqual({ status: 204 });
    expect(server.requests).toHaveLength(1);
  });

  it('does not follow redirects: a 3xx is only a status', async () => {
    const elsewhere = await startMockServer((_req, res) => void res.writeHead(200).end());
    try {
      const redirecting = await startMockServer((_req, res) => void res.writeHead(307, { location: `${elsewhere.url}/internal` }).end());
      try {
        const result = await poster(new SsrfGuard({ allow: ['127.0.0.1'] })).post(`${redirecting.url}/hook`, init());
        expect(result.status).toBe(307);
        expect(elsewhere.requests).toHaveLength(0);
      } finally {
        await redirecting.close();
      }
    } finally {
      await elsewhere.close();
    }
  });
});
