import Redis from 'ioredis';
import type { GatewayPlugin } from '@portcullis/core';
import { startRedisServer, type TestRedisServer } from '../../../../core/src/testkit/redis-server';
import { createPlugin } from '../index';
import { errorCodeOf, postChat, startWorld, type RawAnswer, type World } from './world';

/**
 * Redis dies under a running gateway. A fail-open policy keeps limiting with this instance's
 * own counters, a fail-closed policy answers 503 at once, no request waits on the dead server,
 * and when Redis comes back the shared counters are used again without any action.
 */
jest.setTimeout(30_000);

const OPEN_PROJECT = '2b9d4e61-7a3c-4f8e-9d12-6e5a4c3b2f71';
const OPEN_TOKEN = 'pc_live_OutageFailOpenToken0123456789ab';
const CLOSED_PROJECT = '9c1e5f72-4b8d-4a6f-8e23-7f6b5d4c3a82';
const CLOSED_TOKEN = 'pc_live_OutageFailClosedToken0123456789';
const OPEN_RPM = 6;
/**
 * What "quickly" means for fail-closed: the plugin's Redis deadline is 100 ms, and waiting on the
 * dead server would mean waiting until it comes back. Generous, for a loaded CI machine.
 */
const FAST_MS = 1500;

let redis: TestRedisServer;
let world: World;
let inspector: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  world = await startWorld({
    projects: [
      { id: OPEN_PROJECT, token: OPEN_TOKEN, policies: [`{ kind: rate_limit, config: { rpm: ${OPEN_RPM}, failMode: open } }`] },
      { id: CLOSED_PROJECT, token: CLOSED_TOKEN, policies: ['{ kind: rate_limit, config: { rpm: 1000, failMode: closed } }'] },
    ],
    plugins: [{ plugin: createPlugin() as GatewayPlugin<never>, config: { redisTimeoutMs: 100 } }],
    extraYaml: `redis: { url: "${redis.url}" }`,
  });
  inspector = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  inspector?.disconnect();
  await world?.close();
  await redis?.stop();
});

const ask = (project: string, token: string, timeoutMs = 5000): Promise<RawAnswer> =>
  postChat(world.baseURL(project), token, { messages: [{ role: 'user', content: 'ping' }] }, timeoutMs);

const rpmKeyOf = async (projectId: string): Promise<string> => {
  const policy = await world.gateway.store.policies.findOne({ projectId, kind: 'rate_limit', current: true });
  const keys = await inspector.keys(`*${policy!.id}*:rpm`);
  expect(keys).toHaveLength(1);
  return keys[0]!;
};

it('keeps serving on local limits (open), refuses fast (closed), and recovers shared limits', async () => {
  // Redis up: both policies count in Redis.
  for (let i = 0; i < 2; i += 1) expect((await ask(OPEN_PROJECT, OPEN_TOKEN)).status).toBe(200);
  expect(Number(await inspector.get(await rpmKeyOf(OPEN_PROJECT)))).toBe(2);
  expect((await ask(CLOSED_PROJECT, CLOSED_TOKEN)).status).toBe(200);

  await redis.kill();

  const [open, closed] = await Promise.all([
    Promise.all(Array.from({ length: OPEN_RPM + 4 }, () => ask(OPEN_PROJECT, OPEN_TOKEN))),
    Promise.all(Array.from({ length: 10 }, () => ask(CLOSED_PROJECT, CLOSED_TOKEN))),
  ]);
  // Fail-open: this instance still limits, with its own fresh window.
  expect(open.filter((a) => a.status === 200)).toHaveLength(OPEN_RPM);
  const openRefused = open.filter((a) => a.status !== 200);
  expect(openRefused.map((a) => a.status)).toEqual([429, 429, 429, 429]);
  for (const a of openRefused) expect(errorCodeOf(a.body)).toBe('rate_limit_exceeded');
  // Fail-closed: 503 in the envelope, fast. No request waited on the dead server.
  for (const a of closed) {
    expect(a.status).toBe(503);
    expect(errorCodeOf(a.body)).toBe('limiter_unavailable');
    expect(a.ms).toBeLessThan(FAST_MS);
  }
  expect(Math.max(...open.map((a) => a.ms))).toBeLessThan(2000);

  await redis.restart();

  // Recovery is automatic: the fail-closed project serves again once the client reconnects.
  const deadline = Date.now() + 10_000;
  let recovered: RawAnswer | null = null;
  while (Date.now() < deadline) {
    const a = await ask(CLOSED_PROJECT, CLOSED_TOKEN);
    expect([200, 503]).toContain(a.status);
    if (a.status === 200) {
      recovered = a;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(recovered?.status).toBe(200);

  // Shared again: the local window of the open project is used up, yet a request is admitted
  // because it counts in (the empty, restarted) Redis ...
  const afterRecovery = await ask(OPEN_PROJECT, OPEN_TOKEN);
  expect(afterRecovery.status).toBe(200);
  expect(afterRecovery.headers.get('x-ratelimit-remaining-requests')).toBe(String(OPEN_RPM - 1));
  const key = await rpmKeyOf(OPEN_PROJECT);
  expect(Number(await inspector.get(key))).toBe(1);
  // ... and what other instances consume there limits this one: fill the shared window.
  await inspector.set(key, String(OPEN_RPM), 'KEEPTTL');
  const limited = await ask(OPEN_PROJECT, OPEN_TOKEN);
  expect(limited.status).toBe(429);
  expect(errorCodeOf(limited.body)).toBe('rate_limit_exceeded');
});
