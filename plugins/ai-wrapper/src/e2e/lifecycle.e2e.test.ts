import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import OpenAI from 'openai';
import { createGateway, createSilentLogger, type Gateway } from '@portcullis/core';
import { startMockOpenAI, startTestGateway } from '@portcullis/core/testkit';
import { allAdapters, firstPartyPlugins, PROJECT_ID, PROVIDER_SECRETS, startE2eWorld, TOKEN, waitForLog } from './fixture';

/** Foundation guarantees that only show with a real gateway: logs, shutdown, disconnects, isolation. */

it('never writes a secret to the logs, whatever happens', async () => {
  const world = await startE2eWorld({ captureLogs: true });
  try {
    const client = new OpenAI({ baseURL: world.baseURL, apiKey: TOKEN, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] });
    await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'mock:error:401' }] }).catch(() => undefined);
    await client.chat.completions.create({ model: 'gem', messages: [{ role: 'user', content: 'mock:error:500' }] }).catch(() => undefined);
    const wrong = new OpenAI({ baseURL: world.baseURL, apiKey: 'pc_live_SomeoneGuessedThisTokenAbcdef', maxRetries: 0 });
    await wrong.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
  } finally {
    await world.close();
  }
  const logs = world.gateway.logs.join('');
  expect(logs.length).toBeGreaterThan(200); // the capture works: debug logging was on
  for (const secret of [...Object.values(PROVIDER_SECRETS), TOKEN, 'pc_live_SomeoneGuessedThisTokenAbcdef', world.gateway.appKey]) expect(logs).not.toContain(secret);
});

it('finishes an in-flight stream on graceful shutdown, then refuses new requests', async () => {
  const world = await startE2eWorld();
  const client = new OpenAI({ baseURL: world.baseURL, apiKey: TOKEN, maxRetries: 0 });
  const stream = await client.chat.completions.create({
    model: 'gpt',
    messages: [{ role: 'user', content: 'slowly mock:slow:40 mock:chunks:12' }],
    stream: true,
  });
  const parts: string[] = [];
  let closing: Promise<void> | null = null;
  for await (const chunk of stream) {
    parts.push(chunk.choices[0]?.delta.content ?? '');
    // Start shutting down while the stream is mid-way.
    if (parts.length === 3) closing = world.gateway.close();
  }
  expect(parts.join('')).toBe('Echo: slowly mock:slow:40 mock:chunks:12');
  await closing;
  await expect(fetch(`${world.baseURL}/models`, { headers: { authorization: `Bearer ${TOKEN}` } })).rejects.toThrow();
  await Promise.all(Object.values(world.mocks).map((m) => m.close()));
});

it('records a client that disconnects mid-stream as 499 with estimated usage, and stops reading the upstream', async () => {
  const world = await startE2eWorld();
  const controller = new AbortController();
  try {
    const res = await fetch(`${world.baseURL}/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'x-request-id': 'disconnect-test-1' },
      body: JSON.stringify({ model: 'gpt', stream: true, messages: [{ role: 'user', content: 'long mock:slow:100 mock:chunks:40' }] }),
    });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    // The mock would stream for 4 s; the gateway must record the request well before that.
    // Generous: the log batch is written off the hot path, later on a loaded machine.
    const deadline = Date.now() + 10_000;
    let record = null;
    while (!record && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      record = await world.gateway.store.requestLogs.get('disconnect-test-1');
    }
    expect(record).toMatchObject({ status: 499, errorCode: 'client_closed_request', stream: true, provider: 'openai' });
    expect(record!.metadata).toMatchObject({ usageEstimated: 'true' });
    expect(record!.outputTokens).toBeGreaterThan(0);
  } finally {
    await world.close();
  }
});

it('keeps two gateways mounted in one Express app fully separate', async () => {
  const upstreamA = await startMockOpenAI();
  const upstreamB = await startMockOpenAI();
  const yaml = (upstream: string, token: string) => `
credentials: [ { name: main, provider: openai, secret: sk-test-0000000000000000, baseUrl: "${upstream}/v1" } ]
projects:
  - id: ${PROJECT_ID}
    name: Same
    type: ai_wrapper
    providers: [ { provider: openai, credential: main } ]
    aliases: [ { name: fast, target: "openai:gpt-4o-mini" } ]
    tokens: [ { name: app, scopes: [chat, models], value: "${token}" } ]`;
  const tokenA = 'pc_live_GatewayATokenAbcdefghijklmnopqr';
  const tokenB = 'pc_live_GatewayBTokenAbcdefghijklmnopqr';
  const a = await startTestGateway({ yaml: yaml(upstreamA.url, tokenA), plugins: firstPartyPlugins(), adapters: allAdapters() });
  const b = await startTestGateway({ yaml: yaml(upstreamB.url, tokenB), plugins: firstPartyPlugins(), adapters: allAdapters() });
  // Mount both (already-started) gateways' routers into one new Express app.
  const app = express();
  app.use('/a', a.gateway);
  app.use('/b', b.gateway);
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const ask = (prefix: string, token: string) =>
      fetch(`${base}${prefix}/api/${PROJECT_ID}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
      });
    expect((await ask('/a', tokenA)).status).toBe(200);
    expect((await ask('/b', tokenB)).status).toBe(200);
    // Tokens, upstreams and metrics belong to one gateway only.
    expect((await ask('/a', tokenB)).status).toBe(401);
    expect((await ask('/b', tokenA)).status).toBe(401);
    expect(upstreamA.requests).toHaveLength(1);
    expect(upstreamB.requests).toHaveLength(1);
    const metricsA = await (await fetch(`${base}/a/metrics`)).text();
    expect(metricsA).toMatch(/portcullis_requests_total\{route="ai-wrapper.chat",status="200",provider="openai"\} 1\b/);
    expect(metricsA).toMatch(/status="401"/);
    expect(a.gateway.instanceId).not.toBe(b.gateway.instanceId);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await a.close();
    await b.close();
    await upstreamA.close();
    await upstreamB.close();
  }
});

it('createGateway refuses to start with an invalid plugin config, naming the plugin and field', () => {
  const [auth] = firstPartyPlugins();
  expect(() =>
    createGateway({
      store: { driver: 'embedded', path: ':memory:' },
      appKey: 'k'.repeat(32),
      plugins: [{ plugin: auth!.plugin, config: { lastUsedFlushMs: 'soon' } }],
      logger: createSilentLogger(),
    }),
  ).toThrow(/plugin "auth" has an invalid config: lastUsedFlushMs/);
});

it('a gateway whose store cannot open answers 503 in the envelope and reports it through ready', async () => {
  const gateway: Gateway = createGateway({
    store: { driver: 'embedded', path: '/etc/hostname/not-a-directory/portcullis.db' },
    appKey: 'k'.repeat(32),
    plugins: firstPartyPlugins(),
    adapters: allAdapters(),
    logger: createSilentLogger(),
  });
  await expect(gateway.ready).rejects.toThrow();
  const app = express().use(gateway);
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/${PROJECT_ID}/v1/models`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await gateway.close();
  }
});

it('logs bodies only for projects that opt in, with secret-shaped values scrubbed', async () => {
  const world = await startE2eWorld({
    extraYaml: `
  - id: 5b7e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4
    name: Verbose
    type: ai_wrapper
    logBodies: true
    providers: [ { provider: openai, credential: openai-main } ]
    aliases: [ { name: fast, target: "openai:gpt-4o-mini" } ]
    tokens: [ { name: app, scopes: [chat], value: "pc_live_VerboseProjectTokenAbcdefghijkl" } ]`,
  });
  try {
    const ask = (base: string, token: string, id: string) =>
      fetch(`${base}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': id },
        body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'my key is sk-proj-abcdefghijklmnopqrstuvwx' }] }),
      });
    expect((await ask(`${world.gateway.url}/api/5b7e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4/v1`, 'pc_live_VerboseProjectTokenAbcdefghijkl', 'bodies-on')).status).toBe(200);
    expect((await ask(world.baseURL, TOKEN, 'bodies-off')).status).toBe(200);
    const on = await waitForLog(world.gateway, 'bodies-on');
    const off = await waitForLog(world.gateway, 'bodies-off');
    expect(on!.requestBody).toContain('my key is [REDACTED]');
    expect(on!.responseBody).toContain('Echo: my key is [REDACTED]');
    expect(JSON.stringify(on)).not.toContain('sk-proj-abcdef');
    expect(off).not.toBeNull();
    expect(off!.requestBody ?? null).toBeNull();
    expect(off!.responseBody ?? null).toBeNull();
  } finally {
    await world.close();
  }
});

it('answers /healthz and /readyz (store and config checked) without authentication', async () => {
  const world = await startE2eWorld();
  try {
    const health = await fetch(`${world.gateway.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${world.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { config: 'ok', store: 'ok' } });
  } finally {
    await world.close();
  }
});
