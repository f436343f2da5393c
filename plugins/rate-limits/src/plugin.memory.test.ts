import { GatewayError } from '@portcullis/core';
import { createFakePluginHost, createFakeRequestContext, fakePolicy } from '../../../core/src/testkit/fake-plugin-host';
import { attempt, chatRequest, startLimiterInstance, usage, type LimiterInstance } from './__fixtures__/harness';
import { createRateLimitsPlugin } from './plugin';
import { rateLimitsPluginConfigSchema } from './policy-config';
import { countChatInputTokens } from './token-estimate';

const rl = (config: Record<string, unknown>, over = {}) =>
  fakePolicy('rate_limit', config, { level: 'token', targetId: `tok_${Math.round(Math.random() * 1e9)}`, ...over });

describe('rate-limits plugin, in-memory backend (no Redis)', () => {
  const instances: LimiterInstance[] = [];
  const start = async (...args: Parameters<typeof startLimiterInstance>) => {
    const instance = await startLimiterInstance(...args);
    instances.push(instance);
    return instance;
  };
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.teardown()));
  });

  it('declares its identity', () => {
    const plugin = createRateLimitsPlugin();
    expect(plugin).toMatchObject({ name: 'rate-limits', apiVersion: 1, priority: 700, dependsOn: ['auth'] });
  });

  it('admits up to rpm, then answers 429 with Retry-After and OpenAI headers', async () => {
    const gw = await start({ policies: [rl({ rpm: 3 })] });
    const ok = await gw.request();
    expect(ok.responseHeaders.get('x-ratelimit-limit-requests')).toBe('3');
    expect(ok.responseHeaders.get('x-ratelimit-remaining-requests')).toBe('2');
    expect(ok.responseHeaders.get('x-ratelimit-reset-requests')).toMatch(/^(1m0s|[1-5]?\d(\.\d+)?s)$/);
    await gw.request();
    await gw.request();
    const refused = await attempt(() => gw.request());
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('GW_ERR_RATE_LIMITED');
    expect(refused.error.status).toBe(429);
    expect(refused.error.toEnvelope().error.code).toBe('rate_limit_exceeded');
    const retryAfter = Number(refused.error.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.error.headers['x-ratelimit-remaining-requests']).toBe('0');
  });

  it('passes requests when no policy applies', async () => {
    const gw = await start({ policies: [] });
    const ctx = await gw.request();
    expect(ctx.responseHeaders.size).toBe(0);
  });

  it('enforces every applicable policy and reports the tightest in headers', async () => {
    const loose = rl({ rpm: 100 }, { level: 'project' });
    const tight = rl({ rpm: 2 }, { level: 'token', targetId: 'tok_1' });
    const gw = await start({ policies: [loose, tight] });
    const first = await gw.request();
    expect(first.responseHeaders.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.responseHeaders.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(first.logAnnotations.versions).toEqual({ [`rate_limit:${loose.id}`]: 1, [`rate_limit:${tight.id}`]: 1 });
    await gw.request();
    expect((await attempt(() => gw.request())).ok).toBe(false);
  });

  it('gives back what other windows took when one window refuses', async () => {
    const tight = rl({ rpm: 1 });
    const loose = rl({ rpm: 5 });
    let policies = [tight, loose];
    const gw = await start({ policies: () => policies });
    await gw.request(); // tight: 1/1, loose: 1/5
    for (let i = 0; i < 3; i += 1) expect((await attempt(() => gw.request())).ok).toBe(false);
    // The refused requests did not use up the loose policy: 4 of 5 remain.
    policies = [loose];
    const ctx = await gw.request();
    expect(ctx.responseHeaders.get('x-ratelimit-remaining-requests')).toBe('3');
  });

  it('counts rph separately from rpm', async () => {
    const gw = await start({ policies: [rl({ rpm: 10, rph: 2 })] });
    const ctx = await gw.request();
    expect(ctx.responseHeaders.get('x-ratelimit-limit-requests')).toBe('2');
    expect(ctx.responseHeaders.get('x-ratelimit-reset-requests')).toMatch(/m/);
    await gw.request();
    const refused = await attempt(() => gw.request());
    expect(refused.ok || refused.error.headers['retry-after']).toBe(String(3600));
  });

  it('reserves estimated tokens up front and reconciles to actual usage', async () => {
    const request = chatRequest(100, 200);
    const estimate = countChatInputTokens(request) + 200;
    const limit = estimate * 3 + 10;
    const gw = await start({ policies: [rl({ tpm: limit })] });
    const a = await gw.request(request);
    expect(a.responseHeaders.get('x-ratelimit-limit-tokens')).toBe(String(limit));
    expect(a.responseHeaders.get('x-ratelimit-remaining-tokens')).toBe(String(limit - estimate));
    await gw.request(request);
    const c = await gw.request(request);
    expect(c.responseHeaders.get('x-ratelimit-remaining-tokens')).toBe('10');
    // Three reservations fill the window even though nothing has been used yet.
    expect((await attempt(() => gw.request(request))).ok).toBe(false);
    // The first request used only 10 tokens: the rest of its reservation comes back.
    await gw.finish(a, usage(5, 5));
    const d = await gw.request(request);
    expect(d.responseHeaders.get('x-ratelimit-remaining-tokens')).toBe('0');
  });

  it('charges usage above the reservation', async () => {
    const request = chatRequest(10, 20);
    const estimate = countChatInputTokens(request) + 20;
    const gw = await start({ policies: [rl({ tpm: 1000 })] });
    const a = await gw.request(request);
    await gw.finish(a, usage(estimate, 100)); // 100 more than reserved
    const b = await gw.request(request);
    expect(b.responseHeaders.get('x-ratelimit-remaining-tokens')).toBe(String(1000 - estimate - 100 - estimate));
  });

  it('refunds the whole reservation when the upstream produced nothing, and only once', async () => {
    const request = chatRequest(10, 50);
    const estimate = countChatInputTokens(request) + 50;
    const gw = await start({ policies: [rl({ tpm: 1000 })] });
    const a = await gw.request(request);
    await gw.finish(a, null);
    await gw.finish(a, null);
    const b = await gw.request(request);
    expect(b.responseHeaders.get('x-ratelimit-remaining-tokens')).toBe(String(1000 - estimate));
  });

  it('does not refund into a window that has already reset', async () => {
    let clock = 1_000_000;
    const request = chatRequest(10, 50);
    const gw = await start({ policies: [rl({ tpm: 1000 })], now: () => clock });
    const a = await gw.request(request);
    clock += 61_000; // the reservation's window is over
    const estimate = countChatInputTokens(request) + 50;
    const b = await gw.request(request); // opens the next window
    expect(b.responseHeaders.get('x-ratelimit-remaining-tokens')).toBe(String(1000 - estimate));
    await gw.finish(a, usage(1, 1)); // a's unused reservation came from the old window
    const c = await gw.request(request);
    // Nothing of a's refund leaked into the new window: it holds exactly b's and c's reservations.
    expect(c.responseHeaders.get('x-ratelimit-remaining-tokens')).toBe(String(1000 - 2 * estimate));
  });

  it('refuses a request that could never fit the token limit, without consuming anything', async () => {
    const gw = await start({ policies: [rl({ tpm: 100, rpm: 5 })] });
    const refused = await attempt(() => gw.request(chatRequest(10, 500)));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('GW_ERR_RATE_LIMITED');
    expect(refused.error.message).toMatch(/above the limit of 100 tokens per minute/);
    const ok = await gw.request(chatRequest(1, 10));
    expect(ok.responseHeaders.get('x-ratelimit-remaining-requests')).toBe('4');
  });

  it('uses the policy defaultMaxTokens when the request sets none', async () => {
    const request = chatRequest(10);
    const gw = await start({ policies: [rl({ tpm: 10_000, defaultMaxTokens: 100 })] });
    const ctx = await gw.request(request);
    expect(ctx.responseHeaders.get('x-ratelimit-remaining-tokens')).toBe(String(10_000 - countChatInputTokens(request) - 100));
  });

  it('starts clean counters when a policy gets a new version', async () => {
    const v1 = rl({ rpm: 1 });
    let policies = [v1];
    const gw = await start({ policies: () => policies });
    await gw.request();
    expect((await attempt(() => gw.request())).ok).toBe(false);
    policies = [{ ...v1, version: 2, config: { rpm: 2 } }];
    const ctx = await gw.request();
    expect(ctx.responseHeaders.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(ctx.logAnnotations.versions[`rate_limit:${v1.id}`]).toBe(2);
  });

  it('fails closed (503) on a policy whose config is invalid, and logs it once', async () => {
    const bad = rl({ rpm: 'lots' });
    const gw = await start({ policies: [bad] });
    for (let i = 0; i < 2; i += 1) {
      const r = await attempt(() => gw.request());
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('GW_ERR_LIMITER_UNAVAILABLE');
    }
    expect(gw.host.logs.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('limits non-LLM routes by requests only', async () => {
    const host = createFakePluginHost({ policies: [rl({ rpm: 1, tpm: 10 })] });
    const plugin = createRateLimitsPlugin();
    await plugin.setup?.(host, rateLimitsPluginConfigSchema.parse({}));
    // Hooks may answer synchronously (the contract allows it): wrap so a throw becomes a rejection.
    const run = async () => plugin.hooks?.beforeUpstream?.(createFakeRequestContext({ llm: null }));
    await run();
    await expect(run()).rejects.toBeInstanceOf(GatewayError);
  });

  it('keeps separate state per instance and refuses a second setup of one instance', async () => {
    const policy = rl({ rpm: 1 });
    const a = await start({ policies: [policy] });
    const b = await start({ policies: [policy] });
    await a.request();
    await b.request(); // b has its own in-memory counters
    expect((await attempt(() => a.request())).ok).toBe(false);

    const plugin = createRateLimitsPlugin();
    const config = rateLimitsPluginConfigSchema.parse({});
    await plugin.setup?.(createFakePluginHost(), config);
    await expect(Promise.resolve(plugin.setup?.(createFakePluginHost(), config))).rejects.toThrow(/already set up/);
  });

  it('fails with an internal error when a hook runs before setup', async () => {
    const plugin = createRateLimitsPlugin();
    await expect((async () => plugin.hooks?.beforeUpstream?.(createFakeRequestContext()))()).rejects.toMatchObject({ code: 'GW_ERR_INTERNAL' });
  });
});
