import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import Redis from 'ioredis';
import { EnvelopeSecretBox, openEmbeddedStore, SsrfGuard, type PluginHost, type Store } from '@portcullis/core';
import { startRedisServer, type TestRedisServer } from '../../../../core/src/testkit/redis-server';
import { startMockGitHub, type MockGitHub } from '../e2e/__fixtures__/mock-github';
import { ConnectionService } from './connection-service';
import { RedisRefreshLock } from './refresh-lock';
import { requestToken } from './token-endpoint';

/**
 * Two gateway instances (each its own ConnectionService, cache and Redis client) over one store,
 * refreshing the same OAuth connection at once. The mock GitHub rotates refresh tokens: each
 * works once, as with GitHub Apps. Real Redis.
 */
const PROJECT = 'proj_oauth';
const ACTOR = { type: 'system' as const, id: 'test' };
const guard = new SsrfGuard({ allow: ['127.0.0.1'] });
const agents = { http: new Agent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

let redis: TestRedisServer;
let github: MockGitHub;
let store: Store;
const clients: Redis[] = [];
const secrets = new EnvelopeSecretBox(Buffer.alloc(32, 3).toString('base64'));

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  agents.http.destroy();
  agents.https.destroy();
  await redis.stop();
});
beforeEach(async () => {
  github = await startMockGitHub();
  store = openEmbeddedStore({ path: ':memory:' });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await github.close();
  await store.close();
});

function instance(withLock: boolean): ConnectionService {
  const client = new Redis(redis.port, '127.0.0.1', { lazyConnect: false, maxRetriesPerRequest: 1 });
  clients.push(client);
  const host = { store, secrets, redis: client, audit: { record: () => undefined, flush: async () => {} } } as unknown as PluginHost;
  return new ConnectionService(host, {
    presets: new Map(),
    refreshSkewMs: 60_000,
    cacheMs: 15_000,
    tokenTimeoutMs: 2_000,
    guard,
    agents,
    refreshLock: withLock ? new RedisRefreshLock(client, { keyPrefix: 'test:oauth-refresh:', timeoutMs: 200 }) : null,
  });
}

/** A connected record whose access token expires within the refresh window. */
async function connectedExpiringSoon(service: ConnectionService): Promise<void> {
  const record = await service.create(
    { projectId: PROJECT, name: 'github', preset: 'github', clientId: github.clientId, clientSecret: github.clientSecret, authorizeUrl: `${github.url}/login/oauth/authorize`, tokenUrl: `${github.url}/login/oauth/access_token` },
    ACTOR,
  );
  const redirectUri = 'http://127.0.0.1/callback';
  const approved = await fetch(`${github.url}/login/oauth/authorize?client_id=${github.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&state=s`, { redirect: 'manual' });
  const code = new URL(approved.headers.get('location')!).searchParams.get('code')!;
  github.accessTokenTtlSeconds = 30; // inside the 60 s skew: the next use refreshes
  const grant = await requestToken({
    tokenUrl: `${github.url}/login/oauth/access_token`,
    clientId: github.clientId,
    clientSecret: github.clientSecret,
    authMethod: 'client_secret_post',
    params: { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
    timeoutMs: 2_000,
    guard,
    agents,
  });
  github.accessTokenTtlSeconds = 28_800;
  await service.saveGrant(record, grant, ACTOR);
}

const authorizeBoth = (a: ConnectionService, b: ConnectionService) =>
  Promise.allSettled(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? a : b).authorizationFor(PROJECT, 'github', null, ACTOR)));

it('refreshes once across two instances: both get the new token and the connection stays connected', async () => {
  const a = instance(true);
  const b = instance(true);
  await connectedExpiringSoon(a);
  const results = await authorizeBoth(a, b);
  expect(results.map((r) => r.status)).toEqual(Array(6).fill('fulfilled'));
  const headers = new Set(results.map((r) => (r.status === 'fulfilled' ? r.value : null)));
  expect(headers).toEqual(new Set(['Bearer ghu_mock2_octocat']));
  expect(github.grants.refresh_token).toBe(1);
  const stored = await store.oauthConnections.findOne({ projectId: PROJECT, name: 'github', subject: null });
  expect(stored?.status).toBe('connected');
  expect(secrets.decrypt(stored!.refreshTokenEnc!)).toBe('ghr_mock2_octocat');
});

it('without the lock (what it prevents): both instances refresh, the rotated token is refused, the connection breaks', async () => {
  const a = instance(false);
  const b = instance(false);
  await connectedExpiringSoon(a);
  const results = await authorizeBoth(a, b);
  expect(github.grants.refresh_token).toBe(2);
  expect(results.some((r) => r.status === 'rejected')).toBe(true);
  const stored = await store.oauthConnections.findOne({ projectId: PROJECT, name: 'github', subject: null });
  expect(stored?.status).toBe('error');
});

it('refreshes anyway when Redis is down (fail open), rather than stalling every request', async () => {
  const a = instance(true);
  await connectedExpiringSoon(a);
  await redis.kill();
  try {
    const started = Date.now();
    await expect(a.authorizationFor(PROJECT, 'github', null, ACTOR)).resolves.toBe('Bearer ghu_mock2_octocat');
    expect(github.grants.refresh_token).toBe(1);
    // Bounded by the lock's 200 ms Redis timeout, far below the token timeout.
    expect(Date.now() - started).toBeLessThan(1_500);
  } finally {
    await redis.restart();
  }
});
