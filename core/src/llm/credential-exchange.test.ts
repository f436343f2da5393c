import type { CredentialExchange, ResolvedCredential, Target, TokenExchangeResult, UpstreamRequest } from '../spec/adapter';
import { GatewayError } from '../errors/gateway-error';
import type { UpstreamResponse } from '../upstream/transport';
import { CredentialExchangeCache, withAccessToken, type TokenHttpClient } from './credential-exchange';

const SECRET = 'client-secret-value-do-not-leak-0123';
const HOUR_MS = 3_600_000;

const credential = (secret = SECRET, options: Record<string, string> = { auth: 'token' }): ResolvedCredential => ({ id: 'cred_1', name: 'az', secret, options });

/** A token endpoint double: echoes the secret version into each token so tests can tell them apart. */
const exchange: CredentialExchange = {
  appliesTo: (c) => c.options.auth === 'token',
  buildTokenRequest: (c): UpstreamRequest => {
    if (!c.options.auth) throw new GatewayError('GW_ERR_INTERNAL', { message: 'option "tenantId" is required' });
    return { method: 'POST', url: 'https://idp.invalid/token', headers: {}, body: `secret=${c.secret}`, warnings: [] };
  },
  parseTokenResponse: (status, body): TokenExchangeResult => {
    const b = body as { token?: string; expiresIn?: number; error?: string };
    if (status === 200 && b.token) return { ok: true, accessToken: b.token, expiresInMs: (b.expiresIn ?? 3600) * 1000 };
    return { ok: false, reason: b.error ?? 'unknown', retryable: status >= 500 };
  },
};

const response = (status: number, body: unknown): UpstreamResponse => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    status,
    headers: new Headers(),
    body: Object.assign((async function* () {})(), { text: async () => text, dump: async () => undefined }),
  };
};

/** Programmable HTTP: each call takes the next answer; `gate` holds answers back until released. */
function fakeHttp(answer: (n: number, req: UpstreamRequest) => UpstreamResponse | Error) {
  let release: (() => void) | null = null;
  let gate: Promise<void> | null = null;
  const calls: UpstreamRequest[] = [];
  const http: TokenHttpClient = {
    send: async (req, signal) => {
      calls.push(req);
      const n = calls.length;
      if (gate) await gate;
      if (signal.aborted) throw new Error('aborted');
      const out = answer(n, req);
      if (out instanceof Error) throw out;
      return out;
    },
  };
  return {
    http,
    calls,
    hold: () => {
      gate = new Promise((r) => (release = r));
    },
    release: () => {
      gate = null;
      release?.();
    },
  };
}

const numbered = (expiresIn = 3600) => (n: number, req: UpstreamRequest) => response(200, { token: `tok-${n}-${req.body === `secret=${SECRET}` ? 'v1' : 'v2'}`, expiresIn });
const live = () => new AbortController().signal;

function setup(answer: (n: number, req: UpstreamRequest) => UpstreamResponse | Error = numbered(), timeoutMs = 10_000) {
  let clock = 1_000_000;
  const http = fakeHttp(answer);
  const cache = new CredentialExchangeCache({ http: http.http, now: () => clock, timeoutMs });
  return {
    ...http,
    cache,
    advance: (ms: number) => (clock += ms),
    token: (c: ResolvedCredential = credential(), signal = live()) => cache.accessToken(exchange, c, 'azure-openai', signal),
  };
}

const rejection = async (p: Promise<unknown>): Promise<GatewayError> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    return err as GatewayError;
  }
  throw new Error('expected a rejection');
};

describe('CredentialExchangeCache', () => {
  it('fetches once and serves the cached token until it nears expiry', async () => {
    const t = setup();
    expect(await t.token()).toBe('tok-1-v1');
    t.advance(30 * 60_000);
    expect(await t.token()).toBe('tok-1-v1');
    expect(t.calls).toHaveLength(1);
  });

  it('makes 100 concurrent requests share one token request', async () => {
    const t = setup();
    t.hold();
    const all = Promise.all(Array.from({ length: 100 }, () => t.token()));
    await new Promise((r) => setImmediate(r));
    t.release();
    expect(new Set(await all)).toEqual(new Set(['tok-1-v1']));
    expect(t.calls).toHaveLength(1);
  });

  it('refreshes ahead of expiry in the background, still serving the valid token meanwhile', async () => {
    const t = setup();
    await t.token();
    t.advance(HOUR_MS - 4 * 60_000); // inside the 5-minute refresh window, before the safety margin
    t.hold();
    expect(await t.token()).toBe('tok-1-v1'); // no wait for the refresh
    expect(await t.token()).toBe('tok-1-v1'); // and no second refresh
    expect(t.calls).toHaveLength(2);
    t.release();
    await new Promise((r) => setImmediate(r));
    expect(await t.token()).toBe('tok-2-v1');
    expect(t.calls).toHaveLength(2);
  });

  it('never sends a token inside the expiry safety margin: it waits for a new one', async () => {
    const t = setup();
    await t.token();
    t.advance(HOUR_MS - 30_000);
    expect(await t.token()).toBe('tok-2-v1');
  });

  it('scales the margins down for short-lived tokens', async () => {
    const t = setup(numbered(60));
    await t.token();
    t.advance(20_000); // before half the lifetime: cached, no refresh
    expect(await t.token()).toBe('tok-1-v1');
    expect(t.calls).toHaveLength(1);
    t.advance(40_000); // at expiry: fetched anew
    expect(await t.token()).toBe('tok-2-v1');
  });

  it('a rotated secret invalidates the token at once, and a late answer for the old secret is dropped', async () => {
    const t = setup();
    expect(await t.token()).toBe('tok-1-v1');
    expect(await t.token(credential('rotated-secret-value-0000'))).toBe('tok-2-v2');
    // Rotation while an old exchange is in flight: its answer must not land in the new entry.
    t.advance(2 * HOUR_MS);
    t.hold();
    const old = t.token(credential());
    await new Promise((r) => setImmediate(r));
    const fresh = t.token(credential('rotated-secret-value-0000'));
    t.release();
    expect(await old).toBe('tok-3-v1');
    expect(await fresh).toBe('tok-4-v2');
    expect(await t.token(credential('rotated-secret-value-0000'))).toBe('tok-4-v2');
  });

  it('reject() drops the refused token so the next request fetches a fresh one, but keeps a newer one', async () => {
    const t = setup();
    const first = await t.token();
    t.cache.reject('cred_1', first);
    const second = await t.token();
    expect(second).toBe('tok-2-v1');
    t.cache.reject('cred_1', first); // a late 401 for the old token
    expect(await t.token()).toBe(second);
    expect(t.calls).toHaveLength(2);
    t.cache.reject('cred_unknown', 'whatever'); // harmless
  });

  it('a refused client becomes GW_ERR_UPSTREAM_AUTH (502) naming neither secret nor token, and is not cached', async () => {
    const t = setup((n) => (n === 1 ? response(401, { error: `invalid_client: secret ${SECRET} is wrong` }) : response(200, { token: 'tok-ok' })));
    const err = await rejection(t.token());
    expect(err.code).toBe('GW_ERR_UPSTREAM_AUTH');
    expect(err.status).toBe(502);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('identity provider refused');
    expect(err.message).toContain('HTTP 401');
    expect(err.message).not.toContain(SECRET);
    expect(JSON.stringify(err.details)).not.toContain(SECRET);
    expect(JSON.stringify(err.toEnvelope())).not.toContain(SECRET);
    expect(await t.token()).toBe('tok-ok');
  });

  it('an identity provider outage is retryable (GW_ERR_UPSTREAM_UNREACHABLE)', async () => {
    const t = setup(() => response(503, { error: 'temporarily_unavailable' }));
    const err = await rejection(t.token());
    expect(err.code).toBe('GW_ERR_UPSTREAM_UNREACHABLE');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('HTTP 503');
  });

  it('a network failure is GW_ERR_UPSTREAM_UNREACHABLE without the cause text', async () => {
    const t = setup(() => new Error(`connect ECONNREFUSED with body secret=${SECRET}`));
    const err = await rejection(t.token());
    expect(err.code).toBe('GW_ERR_UPSTREAM_UNREACHABLE');
    expect(err.message).not.toContain(SECRET);
    expect(JSON.stringify(err.details)).not.toContain(SECRET);
  });

  it('a token endpoint slower than the timeout is GW_ERR_UPSTREAM_TIMEOUT', async () => {
    const t = setup(numbered(), 50);
    t.hold();
    const pending = t.token();
    const err = await rejection(pending);
    t.release();
    expect(err.code).toBe('GW_ERR_UPSTREAM_TIMEOUT');
    expect(err.status).toBe(504);
    expect(err.message).toContain('50 ms');
  });

  it('a misconfigured credential fails before any request, with the adapter\'s message', async () => {
    const t = setup();
    const err = await rejection(t.token(credential(SECRET, {})));
    expect(err.message).toContain('tenantId');
    expect(t.calls).toHaveLength(0);
  });

  it('a caller that goes away leaves; the others still get the shared token', async () => {
    const t = setup();
    t.hold();
    const gone = new AbortController();
    const leaving = t.token(credential(), gone.signal);
    const staying = t.token();
    await new Promise((r) => setImmediate(r));
    gone.abort();
    expect((await rejection(leaving)).message).toBe('The client went away.');
    t.release();
    expect(await staying).toBe('tok-1-v1');
    expect(t.calls).toHaveLength(1);
  });
});

describe('withAccessToken', () => {
  const plain: Target = { provider: 'openai', model: 'gpt-4o-mini', credential: credential() };

  it('returns a target without a token source unchanged', async () => {
    expect(await withAccessToken(plain, live())).toBe(plain);
  });

  it('puts the token on a copy of the credential', async () => {
    const t = setup();
    const target: Target = { ...plain, provider: 'azure-openai', tokenSource: t.cache.sourceFor(exchange, plain.credential, 'azure-openai') };
    const out = (await withAccessToken(target, live())) as Target;
    expect(out.credential.accessToken).toBe('tok-1-v1');
    expect(target.credential.accessToken).toBeUndefined();
  });

  it('returns the catalogued error instead of throwing, so the caller can fall back', async () => {
    const t = setup(() => response(400, { error: 'invalid_scope' }));
    const target: Target = { ...plain, tokenSource: t.cache.sourceFor(exchange, plain.credential, 'azure-openai') };
    const out = await withAccessToken(target, live());
    expect(out).toBeInstanceOf(GatewayError);
    expect((out as GatewayError).code).toBe('GW_ERR_UPSTREAM_AUTH');
    expect((out as GatewayError).message).toContain('invalid_scope');
  });
});
