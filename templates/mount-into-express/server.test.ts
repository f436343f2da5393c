import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { createSilentLogger, parseConfig } from '@portcullis/core';
import { startMockOpenAI, type MockServer } from '@portcullis/core/testkit';
import { createAppWithGateway, listen, type AppWithGateway } from './server';

const PROJECT_ID = '5a7c9e1b-3d2f-4b6a-8c0e-9f1d2b3c4a5e';
const TOKEN = 'pc_live_MountTemplateTokenAbcdefghijklmn';
const OPENAI_SECRET = 'sk-mount-template-openai-0123456789';

let mock: MockServer;
let dir: string;
let world: AppWithGateway;
let server: Server;
let url: string;

beforeAll(async () => {
  mock = await startMockOpenAI({ apiKey: OPENAI_SECRET });
  dir = mkdtempSync(join(tmpdir(), 'portcullis-mount-'));
  const config = parseConfig(
    `
credentials:
  - { name: openai-main, provider: openai, secret: "\${OPENAI_API_KEY}", baseUrl: "${mock.url}/v1" }
projects:
  - id: ${PROJECT_ID}
    name: My app
    type: ai_wrapper
    providers: [ { provider: openai, credential: openai-main } ]
    aliases: [ { name: fast, target: "openai:gpt-4o-mini" } ]
    tokens: [ { name: app, scopes: [chat, models], value: "${TOKEN}" } ]
`,
    { OPENAI_API_KEY: OPENAI_SECRET },
  );
  world = await createAppWithGateway({
    config,
    appKey: randomBytes(32).toString('base64'),
    store: { driver: 'embedded', path: join(dir, 'portcullis.db') },
    logger: createSilentLogger(),
  });
  ({ server, url } = await listen(world.app, 0));
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await world.close();
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Portcullis mounted at /llm inside an Express app', () => {
  it('keeps serving the app’s own routes, without gateway auth', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', service: 'my-app' });
  });

  it('leaves the app’s own body parser working next to the gateway', async () => {
    const saved = await fetch(`${url}/api/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'remember' }) });
    expect(saved.status).toBe(201);
    expect(await saved.json()).toEqual({ saved: true, text: 'remember' });
    const refused = await fetch(`${url}/api/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 42 }) });
    expect(refused.status).toBe(400);
  });

  it('answers the official OpenAI SDK under /llm', async () => {
    const client = new OpenAI({ baseURL: `${url}/llm/api/${PROJECT_ID}/v1`, apiKey: TOKEN, maxRetries: 0 });
    const { data, response } = await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hi from the app' }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe('Echo: hi from the app');
    expect(response.headers.get('x-portcullis-provider')).toBe('openai');
    // The provider key went upstream; the client only ever held the Portcullis token.
    expect(mock.requests[mock.requests.length - 1]!.headers['authorization']).toBe(`Bearer ${OPENAI_SECRET}`);
  });

  it('protects the gateway routes with its own token auth', async () => {
    const res = await fetch(`${url}/llm/api/${PROJECT_ID}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
  });

  it('does not answer gateway paths outside /llm', async () => {
    const res = await fetch(`${url}/api/${PROJECT_ID}/v1/models`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
  });
});
