import Redis from 'ioredis';
import { fakePolicy } from '../../../core/src/testkit/fake-plugin-host';
import { startRedisServer, type TestRedisServer } from '../../../core/src/testkit/redis-server';
import { attempt, chatRequest, startLimiterInstance, usage, type LimiterInstance, type Outcome } from './__fixtures__/harness';
import { countChatInputTokens } from './token-estimate';

/**
 * Three "gateway instances" (each its own plugin, host and ioredis client) share one real
 * Redis, as three replicas would. Clients use ioredis defaults (offline queue, retries), the
 * configuration most likely to hang a request on a dead Redis if the plugin did not bound calls.
 */
describe('rate-limits plugin with Redis shared by three instances', () => {
  let server: TestRedisServer;
  let clients: Redis[] = [];
  let instances: LimiterInstance[] = [];

  const rl = (config: Record<string, unknown>) => fakePolicy('rate_limit', config, { level: 'project', projectId: 'proj_1' });

  const startThree = async (policy: ReturnType<typeof rl>, redisTimeoutMs = 75) => {
    clients = [0, 1, 2].map(() => new Redis(server.port, '127.0.0.1', { lazyConnect: false }));
    await Promise.all(clients.map((c) => waitReady(c)));
    instances = await Promise.all(clients.map((redis) => startLimiterInstance({ policies: [policy], redis, redisTimeoutMs })));
    return instances;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterEach(async () => {
    await Promise.all(instances.map((i) => i.teardown()));
    clients.forEach((c) => c.disconnect());
    instances = [];
    clients = [];
    if (server.pid === null) await server.restart();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('300 concurrent requests against rpm=100: exactly 100 admitted across the instances', async () => {
    // A generous timeout: 300 calls at once on a shared 2-core box must not trip the deadline.
    const gws = await startThree(rl({ rpm: 100 }), 2000);
    const outcomes = await Promise.all(Array.from({ length: 300 }, (_, i) => attempt(() => gws[i % 3]!.request())));
    const admitted = outcomes.filter((o) => o.ok);
    // The claim is about the shared counter: no call may have fallen back to a local limiter.
    expect(gws.flatMap((g) => g.host.metricSamples.filter((m) => m.name === 'portcullis_rate_limit_store_fallbacks_total'))).toEqual([]);
    expect(admitted.length).toBe(100);
    for (const o of outcomes) if (!o.ok) expect(o.error.code).toBe('GW_ERR_RATE_LIMITED');
    // Every instance admitted some: the limit is shared, not per instance.
    expect(new Set(admitted.map((o) => (o.ok ? o.ctx.id : '')))).toHaveProperty('size', 100);
  });

  it('TPM under concurrency: reservations never let admitted tokens pass the limit, refunds are reused', async () => {
    const request = chatRequest(200, 100);
    const estimate = countChatInputTokens(request) + 100;
    const tpm = estimate * 10 + estimate / 2; // room for 10.5 reservations
    const gws = await startThree(rl({ tpm: Math.floor(tpm) }), 2000);
    let usedTokens = 0;
    let admittedTotal = 0;
    for (let round = 0; round < 3; round += 1) {
      const outcomes = await Promise.all(Array.from({ length: 45 }, (_, i) => attempt(() => gws[i % 3]!.request(request))));
      const admitted = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
      // Within what is left of the window, never more reservations than fit.
      expect(admitted.length * estimate + usedTokens).toBeLessThanOrEqual(tpm);
      admittedTotal += admitted.length;
      // Each admitted request really used half its reservation (output cut short).
      const half = Math.floor(estimate / 2);
      await Promise.all(admitted.map((o, i) => gws[i % 3]!.finish(o.ctx, usage(half - 50, 50))));
      usedTokens += admitted.length * half;
      expect(usedTokens).toBeLessThanOrEqual(tpm);
    }
    // Refunds were reused by later rounds: more requests than one window of full reservations.
    expect(admittedTotal).toBeGreaterThan(10);
    // The shared counter holds exactly the tokens really used (reservations reconciled).
    const policyKey = (await clients[0]!.keys('portcullis:rl:*:tpm'))[0];
    expect(Number(await clients[0]!.get(policyKey ?? 'missing'))).toBe(usedTokens);
  });

  it('TPM overrun is bounded by one request estimate error when usage exceeds the reservation', async () => {
    const request = chatRequest(50, 50);
    const estimate = countChatInputTokens(request) + 50;
    const tpm = estimate * 6;
    const gws = await startThree(rl({ tpm }), 2000);
    const first = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(() => gws[i % 3]!.request(request))));
    const admitted = first.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
    expect(admitted).toHaveLength(6);
    // One request used 20 tokens more than estimated (tokenizer mismatch); the others exactly the estimate.
    await Promise.all(admitted.map((o, i) => gws[i % 3]!.finish(o.ctx, usage(estimate - 50 + (i === 0 ? 20 : 0), 50))));
    const used = admitted.length * estimate + 20;
    expect(used - tpm).toBeLessThanOrEqual(20);
    // And the overrun is charged: nothing more fits in this window.
    const later = await attempt(() => gws[1]!.request(chatRequest(1, 1)));
    expect(later.ok).toBe(false);
  });

  it('Redis killed: fail-open keeps limiting locally, fail-closed answers 503 fast, nothing hangs; restart restores shared limits', async () => {
    const open = rl({ rpm: 5, failMode: 'open' });
    const closed = rl({ rpm: 1000, failMode: 'closed' });
    clients = [0, 1, 2].map(() => new Redis(server.port, '127.0.0.1'));
    await Promise.all(clients.map((c) => waitReady(c)));
    const limiter = (policy: ReturnType<typeof rl>, redis: Redis) => startLimiterInstance({ policies: [policy], redis, redisTimeoutMs: 200 });
    const openGws = await Promise.all(clients.map((redis) => limiter(open, redis)));
    const closedGws = await Promise.all(clients.map((redis) => limiter(closed, redis)));
    instances = [...openGws, ...closedGws];

    // Healthy: shared across instances.
    const healthy = await Promise.all(Array.from({ length: 9 }, (_, i) => attempt(() => openGws[i % 3]!.request())));
    expect(healthy.filter((o) => o.ok).length).toBe(5);

    await server.kill();

    const timed = async (run: () => Promise<unknown>) => {
      const started = performance.now();
      const outcome = await attempt(run as () => Promise<never>);
      return { outcome, ms: performance.now() - started };
    };
    // Fail-open: each instance limits on its own (5 per instance), never hanging.
    const openResults = await Promise.all(Array.from({ length: 21 }, (_, i) => timed(() => openGws[i % 3]!.request())));
    for (const r of openResults) expect(r.ms).toBeLessThan(NO_HANG_MS);
    expect(openResults.filter((r) => r.outcome.ok).length).toBe(15);
    for (const r of openResults) if (!r.outcome.ok) expect(r.outcome.error.code).toBe('GW_ERR_RATE_LIMITED');

    // Fail-closed: 503 limiter_unavailable, quickly.
    const closedResults = await Promise.all(Array.from({ length: 6 }, (_, i) => timed(() => closedGws[i % 3]!.request())));
    for (const r of closedResults) {
      expect(r.ms).toBeLessThan(NO_HANG_MS);
      expect(r.outcome.ok).toBe(false);
      if (!r.outcome.ok) {
        expect(r.outcome.error.code).toBe('GW_ERR_LIMITER_UNAVAILABLE');
        expect(r.outcome.error.status).toBe(503);
      }
    }

    await server.restart();
    await waitFor(() => instances.every((i) => i.storeStatus() === 'ready'), 10_000);

    // Recovered: the (empty) shared counter applies again, across instances.
    const after = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(() => openGws[i % 3]!.request())));
    expect(after.filter((o) => o.ok).length).toBe(5);
    const closedAfter = await attempt(() => closedGws[0]!.request());
    expect(closedAfter.ok).toBe(true);
  }, 30_000);

  it('a Redis that hangs (paused, connection still up) is cut off by the timeout', async () => {
    const open = rl({ rpm: 2, failMode: 'open' });
    const closed = rl({ rpm: 100, failMode: 'closed' });
    clients = [new Redis(server.port, '127.0.0.1'), new Redis(server.port, '127.0.0.1')];
    await Promise.all(clients.map((c) => waitReady(c)));
    const gwOpen = await startLimiterInstance({ policies: [open], redis: clients[0]!, redisTimeoutMs: 60 });
    const gwClosed = await startLimiterInstance({ policies: [closed], redis: clients[0]!, redisTimeoutMs: 60 });
    instances = [gwOpen, gwClosed];

    await clients[1]!.call('CLIENT', 'PAUSE', '1500', 'ALL');
    const started = performance.now();
    const results = await Promise.all([
      attempt(() => gwOpen.request()),
      attempt(() => gwOpen.request()),
      attempt(() => gwOpen.request()),
      attempt(() => gwClosed.request()),
    ]);
    // Well before the pause ends (1500 ms): the 60 ms timeout cut the wait, on a loaded machine too.
    expect(performance.now() - started).toBeLessThan(1200);
    expect(results.slice(0, 3).filter((o) => o.ok).length).toBe(2); // local limiter: rpm 2
    const closedResult = results[3]!;
    expect(closedResult.ok).toBe(false);
    if (!closedResult.ok) expect(closedResult.error.code).toBe('GW_ERR_LIMITER_UNAVAILABLE');
    // Cut off by the plugin's deadline or by the connection's command timeout, whichever fires first.
    const reasons = instances[0]!.host.metricSamples.filter((s) => s.name === 'portcullis_rate_limit_store_fallbacks_total').map((s) => s.labels?.reason);
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.every((r) => r === 'timeout' || r === 'error')).toBe(true);
    await new Promise((r) => setTimeout(r, 1600)); // let the pause end before teardown
  });
});

/**
 * A request that waited on the dead server would wait until it comes back (the test restarts it
 * only later): any bound far below that proves nothing hung. Generous, for a loaded CI machine.
 */
const NO_HANG_MS = 1500;

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function waitReady(client: Redis, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (client.status !== 'ready') {
    if (Date.now() > deadline) throw new Error(`redis client not ready (status ${client.status})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
