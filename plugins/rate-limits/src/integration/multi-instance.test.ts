import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockOpenAI, type MockOpenAIServer } from '@portcullis/core/testkit';
import { startRedisServer, type TestRedisServer } from '../../../../core/src/testkit/redis-server';
import { freePort, REPO_ROOT, requireBuiltDist, startGatewayProcess, type GatewayProcess } from './gateway-process';
import { chatRequestsSeen, errorCodeOf, metricTotal, postChat, projectsYaml, PROVIDER_SECRET, type RawAnswer } from './world';

/**
 * Issue 5's headline proof: three gateway PROCESSES (the built CLI, plugins loaded by package
 * name) share one Redis and one store, and a project limit of 100 requests per minute admits
 * exactly 100 of 300 concurrent requests spread over the three, not 100 per instance.
 */
jest.setTimeout(60_000);

const PROJECT_ID = '6a0c1f52-3b8e-4d7a-9f21-5c4e8b7d2a10';
const TOKEN = 'pc_live_MultiInstanceToken0123456789abcd';
const RPM = 100;
const REQUESTS = 300;

let redis: TestRedisServer;
let mock: MockOpenAIServer;
let workDir: string;
let gateways: GatewayProcess[] = [];

function configYaml(port: number): string {
  return `
environment: test
server: { port: ${port}, host: 127.0.0.1, shutdownTimeoutMs: 2000 }
store: { driver: embedded, path: "${join(workDir, 'portcullis.db')}" }
redis: { url: "${redis.url}" }
plugins:
  - "@portcullis/plugin-auth"
  - "@portcullis/plugin-ai-wrapper"
  # A generous deadline: 300 requests at once on a shared 2-core box must not trip the
  # fail-open fallback (which would count locally); the test checks no call fell back.
  - { package: "@portcullis/plugin-rate-limits", config: { redisTimeoutMs: 1500 } }
adapters: ["@portcullis/adapter-openai"]
credentials:
  - { name: openai-main, provider: openai, secret: "${PROVIDER_SECRET}", baseUrl: "${mock.baseURL}" }
projects:${projectsYaml([{ id: PROJECT_ID, token: TOKEN, policies: [`{ kind: rate_limit, config: { rpm: ${RPM} } }`] }], 'openai-main')}
`;
}

beforeAll(async () => {
  requireBuiltDist(['plugins/auth', 'plugins/ai-wrapper', 'plugins/rate-limits', 'adapters/openai']);
  workDir = mkdtempSync(join(tmpdir(), 'portcullis-multi-'));
  // An operator's folder: the config beside a node_modules that holds the packages it names.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  [redis, mock] = await Promise.all([startRedisServer(), startMockOpenAI({ apiKey: PROVIDER_SECRET })]);
  const env = { APP_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn' };
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const configs = ports.map((port, i) => {
    const path = join(workDir, `portcullis-${i}.yaml`);
    writeFileSync(path, configYaml(port));
    return path;
  });
  // The first instance applies the YAML (creates the policy); the others then find it
  // unchanged, so all three count under the same policy id and version.
  gateways.push(await startGatewayProcess({ configPath: configs[0]!, port: ports[0]!, env }));
  gateways.push(...(await Promise.all([1, 2].map((i) => startGatewayProcess({ configPath: configs[i]!, port: ports[i]!, env })))));
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
  gateways = [];
  await Promise.all([mock?.close(), redis?.stop()]);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

it(`admits exactly ${RPM} of ${REQUESTS} concurrent requests across three processes`, async () => {
  const answers: { instance: number; answer: RawAnswer }[] = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const instance = i % gateways.length;
      const answer = await postChat(`${gateways[instance]!.url}/api/${PROJECT_ID}/v1`, TOKEN, { messages: [{ role: 'user', content: `hello ${i}` }] }, 30_000);
      return { instance, answer };
    }),
  );
  const ok = answers.filter((a) => a.answer.status === 200);
  const limited = answers.filter((a) => a.answer.status === 429);
  const other = answers.filter((a) => a.answer.status !== 200 && a.answer.status !== 429).map((a) => [a.answer.status, a.answer.body]);
  expect(other).toEqual([]);
  expect(ok).toHaveLength(RPM);
  expect(limited).toHaveLength(REQUESTS - RPM);

  // The provider saw the admitted requests and nothing else.
  expect(chatRequestsSeen(mock)).toBe(RPM);
  // Each process admitted some: the limit is one shared window, not one per process.
  for (let i = 0; i < gateways.length; i += 1) expect(ok.filter((a) => a.instance === i).length).toBeGreaterThan(0);

  // One shared counter: the remaining-requests values handed out are exactly 99..0, once each.
  const remaining = ok.map((a) => Number(a.answer.headers.get('x-ratelimit-remaining-requests'))).sort((x, y) => x - y);
  expect(remaining).toEqual(Array.from({ length: RPM }, (_, i) => i));
  for (const { answer } of ok) {
    expect(answer.headers.get('x-ratelimit-limit-requests')).toBe(String(RPM));
    expect(answer.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?(ms|s|m)/);
  }
  for (const { answer } of limited) {
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(errorCodeOf(answer.body)).toBe('rate_limit_exceeded');
    expect(answer.body).toMatchObject({ error: { type: 'rate_limit_error', message: expect.any(String) } });
  }

  // No decision fell back to a process-local counter (which would make "exactly 100" luck).
  const metrics = await Promise.all(gateways.map((g) => fetch(`${g.url}/metrics`).then((r) => r.text())));
  for (const text of metrics) {
    expect(metricTotal(text, 'portcullis_rate_limit_store_fallbacks_total')).toBe(0);
    expect(metricTotal(text.split('\n').filter((l) => l.includes('outcome="admitted"')).join('\n'), 'portcullis_rate_limit_decisions_total')).toBeGreaterThan(0);
  }
});
