import type { ProviderAdapter, Target, TargetTokenSource, UpstreamRequest } from '../spec/adapter';
import type { RequestContext } from '../spec/plugin';
import { GatewayError } from '../errors/gateway-error';
import type { Transport, UpstreamResponse } from '../upstream/transport';
import { createSilentLogger } from '../util/logger';
import { createLlmCallState } from './call-state';
import { callWithFallbacks, DEFAULT_RETRY_POLICY } from './upstream-call';

/** How callWithFallbacks treats targets that carry a token source (credential exchanges). */
const response = (status: number, body = '{}'): UpstreamResponse => ({
  status,
  headers: new Headers(),
  body: Object.assign((async function* () {})(), { text: async () => body, dump: async () => undefined }),
});

const adapter = {
  mapError: (status: number) => ({
    code: status === 401 ? 'GW_ERR_UPSTREAM_AUTH' : 'GW_ERR_UPSTREAM_ERROR',
    status: 502,
    message: 'refused',
    retryable: false,
  }),
} as unknown as ProviderAdapter;
const adapters = new Map([['azure-openai', adapter], ['openai', adapter]]);

const ctx = { signal: new AbortController().signal, logger: createSilentLogger() } as unknown as RequestContext;
const target = (provider: string, tokenSource?: TargetTokenSource): Target => ({
  provider,
  model: 'm',
  credential: { id: `c-${provider}`, name: provider, secret: 's', options: {} },
  ...(tokenSource ? { tokenSource } : {}),
});

function run(targets: Target[], statuses: number[]) {
  const sent: UpstreamRequest[] = [];
  const built: Target[] = [];
  const transport = {
    send: async (req: UpstreamRequest) => {
      sent.push(req);
      return response(statuses[sent.length - 1] ?? 200);
    },
    mapNetworkError: (err: unknown) => new GatewayError('GW_ERR_UPSTREAM_UNREACHABLE', { cause: err }),
  } as unknown as Transport;
  const llm = createLlmCallState({ request: { model: 'm', messages: [] }, targets });
  const call = callWithFallbacks(ctx, llm, adapters, transport, { ...DEFAULT_RETRY_POLICY, baseBackoffMs: 1 }, (_adapter, t) => {
    built.push(t);
    return { method: 'POST', url: `https://${t.provider}.invalid/`, headers: { token: t.credential.accessToken ?? '' }, warnings: [] };
  });
  return { call, sent, built };
}

describe('callWithFallbacks with token sources', () => {
  it('hands targets without a token source to build as they are', async () => {
    const plain = target('openai');
    const { call, built } = run([plain], [200]);
    await call;
    expect(built[0]).toBe(plain);
  });

  it('puts the token on the credential before building the request', async () => {
    const { call, sent } = run([target('azure-openai', { accessToken: async () => 'tok-1', reject: () => undefined })], [200]);
    await call;
    expect(sent[0]!.headers.token).toBe('tok-1');
  });

  it('falls back to the next target when the token exchange is refused', async () => {
    const refused = new GatewayError('GW_ERR_UPSTREAM_AUTH', { message: 'The identity provider refused' });
    const failing: TargetTokenSource = { accessToken: async () => Promise.reject(refused), reject: () => undefined };
    const { call, sent } = run([target('azure-openai', failing), target('openai')], [200]);
    const result = await call;
    expect(result.target.provider).toBe('openai');
    expect(sent.map((r) => r.url)).toEqual(['https://openai.invalid/']);
  });

  it('surfaces the exchange error when no target is left', async () => {
    const refused = new GatewayError('GW_ERR_UPSTREAM_AUTH', { message: 'The identity provider refused' });
    const { call, sent } = run([target('azure-openai', { accessToken: () => Promise.reject(refused), reject: () => undefined })], []);
    await expect(call).rejects.toBe(refused);
    expect(sent).toHaveLength(0);
  });

  it('tells the token source about a 401 with the token that was refused, and only then', async () => {
    const rejected: string[] = [];
    const source: TargetTokenSource = { accessToken: async () => 'tok-stale', reject: (t) => rejected.push(t) };
    await expect(run([target('azure-openai', source)], [401]).call).rejects.toMatchObject({ code: 'GW_ERR_UPSTREAM_AUTH' });
    expect(rejected).toEqual(['tok-stale']);
    await expect(run([target('azure-openai', source)], [500, 500]).call).rejects.toMatchObject({ code: 'GW_ERR_UPSTREAM_ERROR' });
    expect(rejected).toEqual(['tok-stale']);
  });
});
