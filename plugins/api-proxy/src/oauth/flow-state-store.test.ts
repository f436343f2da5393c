import { startRedisServer, type TestRedisServer } from '../../../../core/src/testkit/redis-server';
import { Redis } from 'ioredis';
import { MemoryFlowStateStore, RedisFlowStateStore, type FlowStateStore, type PendingFlow } from './flow-state-store';

const flow = (connectionId: string): PendingFlow => ({
  connectionId,
  projectId: 'p1',
  subject: null,
  redirectUri: 'http://127.0.0.1/oauth/callback',
  verifier: 'v',
  bindingHash: 'h',
  startedByTokenId: 't1',
});

const contract = (name: string, make: () => { store: FlowStateStore; advance(ms: number): Promise<void> }) => {
  describe(name, () => {
    it('hands a flow out exactly once', async () => {
      const { store } = make();
      await store.put('s1', flow('c1'), 60_000);
      const [a, b] = await Promise.all([store.take('s1'), store.take('s1')]);
      expect([a, b].filter((x) => x !== null)).toEqual([flow('c1')]);
      expect(await store.take('s1')).toBeNull();
    });
    it('forgets a flow after its TTL', async () => {
      const { store, advance } = make();
      await store.put('s2', flow('c2'), 50);
      await advance(120);
      expect(await store.take('s2')).toBeNull();
    });
    it('answers null for a state it never issued', async () => {
      expect(await make().store.take('never')).toBeNull();
    });
  });
};

let clock = 0;
contract('MemoryFlowStateStore', () => ({ store: new MemoryFlowStateStore(100, () => clock), advance: async (ms) => void (clock += ms) }));

it('MemoryFlowStateStore stays bounded, evicting the oldest flow', async () => {
  const store = new MemoryFlowStateStore(2);
  await store.put('a', flow('a'), 60_000);
  await store.put('b', flow('b'), 60_000);
  await store.put('c', flow('c'), 60_000);
  expect(await store.take('a')).toBeNull();
  expect(await store.take('c')).toEqual(flow('c'));
});

describe('with Redis', () => {
  let server: TestRedisServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });
  contract('RedisFlowStateStore', () => ({ store: new RedisFlowStateStore(redis, `t${Math.random()}:`), advance: (ms) => new Promise((r) => setTimeout(r, ms)) }));
});
