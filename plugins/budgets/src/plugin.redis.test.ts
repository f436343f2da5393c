import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { startRedisServer, type TestRedisServer } from '../../../core/src/testkit/redis-server';
import { attempt, budget, chatRequest, startBudgetInstance, TEST_PRICES, usage, type BudgetInstance, type Outcome } from './__fixtures__/harness';
import { describeLedgerContract } from './__fixtures__/ledger-contract';
import { THRESHOLD_EVENT } from './plugin';
import { RedisBudgetLedger } from './redis-ledger';
import { countChatInputTokens } from '@portcullis/plugin-rate-limits';

let server: TestRedisServer;
let ledgerClient: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  ledgerClient = new Redis(server.port, '127.0.0.1');
});
afterAll(async () => {
  ledgerClient.disconnect();
  await server.stop();
});

describeLedgerContract('redis', () => new RedisBudgetLedger(ledgerClient, 'test:budget'), () => `pol_${randomUUID()}:v1:2026-11`);

describe('budgets plugin with Redis shared by three instances', () => {
  let clients: Redis[] = [];
  let instances: BudgetInstance[] = [];

  const startThree = async (policy: ReturnType<typeof budget>, timeoutMs = 2000) => {
    clients = [0, 1, 2].map(() => new Redis(server.port, '127.0.0.1'));
    instances = await Promise.all(clients.map((redis) => startBudgetInstance({ policies: [policy], redis, redisTimeoutMs: timeoutMs })));
    return instances;
  };
  afterEach(async () => {
    await Promise.all(instances.map((i) => i.teardown()));
    clients.forEach((c) => c.disconnect());
    instances = [];
    clients = [];
    if (server.pid === null) await server.restart();
  });

  it('a $1.00 budget hammered concurrently: recorded spend never exceeds the cap by more than one estimate error', async () => {
    const policy = budget({ capUsd: 1, window: 'monthly', thresholds: [0.5, 0.9] });
    const gws = await startThree(policy);
    const request = chatRequest(50, 20_000); // estimate ~ $0.04
    const inputTokens = countChatInputTokens(request);
    const estimateUsd = TEST_PRICES.cost('openai', 'test-model', usage(inputTokens, 20_000))!;
    // Each admitted request really costs between 60% and 110% of its estimate (110%: the
    // provider counted more input tokens than our tokenizer did).
    const maxOverrun = estimateUsd * 0.1;
    let spent = 0;
    let admitted = 0;
    for (let round = 0; round < 8; round += 1) {
      const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(() => gws[i % 3]!.request(request))));
      const ok = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
      for (const o of outcomes) if (!o.ok) expect(o.error.code).toBe('GW_ERR_BUDGET_EXCEEDED');
      admitted += ok.length;
      await Promise.all(
        ok.map((o, i) => {
          const factor = i === 0 && round === 0 ? 1.1 : 0.6 + (i % 5) * 0.1;
          const cost = Math.round(estimateUsd * factor * 1e6) / 1e6;
          spent += cost;
          return gws[i % 3]!.finish(o.ctx, usage(inputTokens, 1), cost);
        }),
      );
    }
    const ledger = new RedisBudgetLedger(ledgerClient, 'portcullis:budget');
    const key = `${policy.id}:v1:${new Date().toISOString().slice(0, 7)}`;
    const stored = await ledger.peek(key);
    expect(stored?.reserved).toBe(0);
    expect(stored?.spent).toBe(Math.round(spent * 1e6));
    expect(spent).toBeLessThanOrEqual(1 + maxOverrun + 1e-9);
    expect(spent).toBeGreaterThan(0.9); // the budget was actually used up, not refused early
    expect(admitted).toBeGreaterThan(25); // refunds of over-estimates were reused
    // Each threshold announced once across all three instances.
    const events = instances.flatMap((i) => i.host.auditEvents.filter((e) => e.event === THRESHOLD_EVENT));
    expect(events.map((e) => e.metadata?.threshold).sort()).toEqual([0.5, 0.9]);
  }, 30_000);

  it('Redis down: fail-open serves without a reservation, fail-closed answers 503 fast; recovery is automatic', async () => {
    const open = budget({ capUsd: 1, window: 'total', failMode: 'open' });
    const closed = budget({ capUsd: 1, window: 'total', failMode: 'closed' }, { level: 'token', targetId: 'tok_1' });
    clients = [new Redis(server.port, '127.0.0.1')];
    const gwOpen = await startBudgetInstance({ policies: [open], redis: clients[0]!, redisTimeoutMs: 100 });
    const gwClosed = await startBudgetInstance({ policies: [closed], redis: clients[0]!, redisTimeoutMs: 100 });
    instances = [gwOpen, gwClosed];

    await server.kill();
    const timed = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      const outcome = await attempt(run as () => Promise<never>);
      return { outcome, ms: performance.now() - started };
    };
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => timed(() => gwOpen.request())),
      ...Array.from({ length: 5 }, () => timed(() => gwClosed.request())),
    ]);
    for (const r of results) expect(r.ms).toBeLessThan(NO_HANG_MS);
    expect(results.slice(0, 5).every((r) => r.outcome.ok)).toBe(true);
    for (const r of results.slice(5)) {
      expect(r.outcome.ok).toBe(false);
      if (!r.outcome.ok) expect(r.outcome.error.status).toBe(503);
    }
    // onLog during the outage must not hang either.
    const done = results[0]!.outcome;
    if (done.ok) {
      const started = performance.now();
      await gwOpen.finish(done.ctx, usage(1, 1), 0.5);
      expect(performance.now() - started).toBeLessThan(NO_HANG_MS);
    }

    await server.restart();
    const deadline = Date.now() + 10_000;
    while (instances.some((i) => i.service().ledgerStatus() !== 'ready')) {
      if (Date.now() > deadline) throw new Error('ledger did not reconnect');
      await new Promise((r) => setTimeout(r, 20));
    }
    const after = await gwClosed.request();
    await gwClosed.finish(after, usage(1, 1), 0.4);
    const ledger = new RedisBudgetLedger(ledgerClient, 'portcullis:budget');
    // Wait for the shared test client to reconnect too before reading.
    while (ledgerClient.status !== 'ready') await new Promise((r) => setTimeout(r, 20));
    await expect(ledger.peek(`${closed.id}:v1:total`)).resolves.toEqual({ spent: 400_000, reserved: 0 });
  }, 30_000);
});

/** Far below "until Redis comes back" (which is what a hang would be), generous for a loaded machine. */
const NO_HANG_MS = 1500;
