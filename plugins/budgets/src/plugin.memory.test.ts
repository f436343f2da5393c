import type { GuardedPost } from '@portcullis/core';
import { createFakePluginHost, createFakeRequestContext } from '../../../core/src/testkit/fake-plugin-host';
import { attempt, budget, chatRequest, startBudgetInstance, usage, type BudgetInstance } from './__fixtures__/harness';
import { createBudgetsPlugin, THRESHOLD_EVENT } from './plugin';
import { budgetsPluginConfigSchema } from './policy-config';

describe('budgets plugin, in-memory ledger', () => {
  const instances: BudgetInstance[] = [];
  const start = async (...args: Parameters<typeof startBudgetInstance>) => {
    const i = await startBudgetInstance(...args);
    instances.push(i);
    return i;
  };
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.teardown()));
  });

  it('declares its identity', () => {
    expect(createBudgetsPlugin()).toMatchObject({ name: 'budgets', apiVersion: 1, priority: 650, dependsOn: ['auth'] });
  });

  it('admits while the estimate fits, refuses with 402 budget_exceeded before the provider is called', async () => {
    // test-model: $1/M in, $2/M out. max_tokens 100_000 -> estimate ~ $0.2 per request.
    const gw = await start({ policies: [budget({ capUsd: 0.5, window: 'total' })] });
    const request = chatRequest(10, 100_000);
    const a = await gw.request(request);
    await gw.request(request);
    const refused = await attempt(() => gw.request(request));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.status).toBe(402);
    expect(refused.error.toEnvelope().error).toMatchObject({ code: 'budget_exceeded', type: 'insufficient_quota' });
    // Actual cost far below the estimate frees the reservation.
    await gw.finish(a, usage(20, 10));
    await expect(gw.request(request)).resolves.toBeDefined();
    expect(a.logAnnotations.versions).toEqual({ [`budget:${gw.host.config.policiesFor('budget', a)[0]!.id}`]: 1 });
  });

  it('records actual spend and refuses once it reaches the cap', async () => {
    const gw = await start({ policies: [budget({ capUsd: 0.01, window: 'total' })] });
    const ctx = await gw.request(chatRequest(1, 10));
    await gw.finish(ctx, null, 0.01); // costUsd = exactly the cap
    const refused = await attempt(() => gw.request(chatRequest(1, 1)));
    expect(refused.ok).toBe(false);
  });

  it('audits each threshold exactly once per window, with a webhook when configured', async () => {
    const posted: { url: string; body: string }[] = [];
    const recordingPost: GuardedPost = async (url, init) => {
      posted.push({ url, body: init.body });
      return { status: 204 };
    };
    const policy = budget({
      capUsd: 1,
      window: 'monthly',
      thresholds: [0.5, 0.8, 1],
      webhook: { url: 'https://hooks.example.test/budget', secret: '0123456789abcdef' },
    });
    const gw = await start({ policies: [policy], post: recordingPost });
    const spend = async (usd: number) => {
      const ctx = await gw.request(chatRequest(1, 10));
      await gw.finish(ctx, usage(1, 1), usd);
    };
    await spend(0.3);
    await spend(0.3); // 0.6: crosses 50%
    await spend(0.1); // 0.7
    await spend(0.15); // 0.85: crosses 80%
    await spend(0.1); // 0.95
    await gw.service().drainWebhooks();
    const events = gw.host.auditEvents.filter((e) => e.event === THRESHOLD_EVENT);
    expect(events.map((e) => e.metadata?.threshold)).toEqual([0.5, 0.8]);
    expect(events[0]).toMatchObject({ severity: 'warning', target: { type: 'budget_policy', id: policy.id }, projectId: 'proj_1' });
    expect(posted).toHaveLength(2);
    expect(JSON.parse(posted[1]!.body)).toMatchObject({ event: THRESHOLD_EVENT, threshold: 0.8, policyId: policy.id });
  });

  it('starts a new window on time: spend of last month does not count, thresholds fire again', async () => {
    let clock = Date.parse('2026-11-30T14:00:00Z'); // Nov 30 23:00 in Tokyo
    const gw = await start({ policies: [budget({ capUsd: 1, window: 'monthly', timeZone: 'Asia/Tokyo', thresholds: [1] })], now: () => clock });
    const ctx = await gw.request(chatRequest(1, 10));
    await gw.finish(ctx, usage(1, 1), 1);
    expect((await attempt(() => gw.request(chatRequest(1, 10)))).ok).toBe(false);
    clock = Date.parse('2026-11-30T15:00:00Z'); // Dec 1 00:00 in Tokyo, still Nov 30 in UTC
    const next = await gw.request(chatRequest(1, 10));
    await gw.finish(next, usage(1, 1), 1);
    const windows = gw.host.auditEvents.filter((e) => e.event === THRESHOLD_EVENT).map((e) => e.metadata?.windowKey);
    expect(windows).toEqual(['2026-11', '2026-12']);
  });

  it('a cap change (new policy version) carries no stale spend', async () => {
    const v1 = budget({ capUsd: 1, window: 'total' });
    let policies = [v1];
    const gw = await start({ policies: () => policies });
    const ctx = await gw.request(chatRequest(1, 10));
    await gw.finish(ctx, usage(1, 1), 1);
    expect((await attempt(() => gw.request(chatRequest(1, 10)))).ok).toBe(false);
    policies = [{ ...v1, version: 2, config: { capUsd: 2, window: 'total' } }];
    await expect(gw.request(chatRequest(1, 10))).resolves.toBeDefined();
  });

  it('enforces every applicable level; one refusal releases the other reservations', async () => {
    const project = budget({ capUsd: 10, window: 'total' });
    const token = budget({ capUsd: 0.0001, window: 'total' }, { level: 'token', targetId: 'tok_1' });
    let policies = [project, token];
    const gw = await start({ policies: () => policies });
    expect((await attempt(() => gw.request(chatRequest(10, 100_000)))).ok).toBe(false);
    // The project budget is not left holding the refused request's reservation.
    policies = [{ ...project, config: { capUsd: 0.21, window: 'total' } }];
    await expect(gw.request(chatRequest(10, 100_000))).resolves.toBeDefined();
  });

  it('unknown price: allow (default) with one audit note, or block', async () => {
    const allow = await start({ policies: [budget({ capUsd: 1, window: 'total' })] });
    await allow.request(chatRequest(1, 10, 'mystery-model'));
    await allow.request(chatRequest(1, 10, 'mystery-model'));
    expect(allow.host.auditEvents.filter((e) => e.event === 'budget.price_unknown')).toHaveLength(1);

    const block = await start({ policies: [budget({ capUsd: 1, window: 'total', unknownPrice: 'block' })] });
    const refused = await attempt(() => block.request(chatRequest(1, 10, 'mystery-model')));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('GW_ERR_BUDGET_EXCEEDED');
  });

  it('cost unknown after the response: releases, records nothing, audits once', async () => {
    const gw = await start({ policies: [budget({ capUsd: 0.5, window: 'total' })] });
    for (let i = 0; i < 3; i += 1) {
      const ctx = await gw.request(chatRequest(10, 100_000));
      await gw.finish(ctx, usage(10, 10), null);
    }
    // Three ~$0.2 reservations would exceed $0.5 had they not been released.
    expect(gw.host.auditEvents.filter((e) => e.event === 'budget.cost_unknown')).toHaveLength(1);
  });

  it('fails closed (503) on an invalid budget policy and logs it once', async () => {
    const gw = await start({ policies: [budget({ capUsd: 'a lot', window: 'monthly' })] });
    for (let i = 0; i < 2; i += 1) {
      const r = await attempt(() => gw.request());
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('GW_ERR_LIMITER_UNAVAILABLE');
    }
    expect(gw.host.logs.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('ignores non-LLM requests and passes when no policy applies', async () => {
    const gw = await start({ policies: [] });
    await expect(gw.request()).resolves.toBeDefined();
    const host = createFakePluginHost({ policies: [budget({ capUsd: 0.000001, window: 'total' })] });
    const plugin = createBudgetsPlugin();
    const teardown = await plugin.setup?.(host, budgetsPluginConfigSchema.parse({}));
    await expect(Promise.resolve(plugin.hooks?.beforeUpstream?.(createFakeRequestContext({ llm: null })))).resolves.toBeUndefined();
    if (typeof teardown === 'function') await teardown();
  });

  it('refuses a second setup of one instance and hooks before setup', async () => {
    const plugin = createBudgetsPlugin();
    await expect(Promise.resolve(plugin.hooks?.beforeUpstream?.(createFakeRequestContext()))).rejects.toMatchObject({ code: 'GW_ERR_INTERNAL' });
    const config = budgetsPluginConfigSchema.parse({});
    const teardown = await plugin.setup?.(createFakePluginHost(), config);
    await expect(Promise.resolve(plugin.setup?.(createFakePluginHost(), config))).rejects.toThrow(/already set up/);
    if (typeof teardown === 'function') await teardown();
  });
});
