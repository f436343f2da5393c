import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { adapters as anthropicAdapters } from '@portcullis/adapter-anthropic';
import { adapters as geminiAdapters } from '@portcullis/adapter-gemini';
import { adapters as openaiAdapters } from '@portcullis/adapter-openai';
import type { GatewayPlugin } from '@portcullis/core';
import { startMockAnthropic, startMockGemini, startMockOpenAI, startTestGateway, type MockServer, type TestGateway } from '@portcullis/core/testkit';
import { createPlugin as createAiWrapperPlugin } from '@portcullis/plugin-ai-wrapper';
import { createAuthPlugin } from '@portcullis/plugin-auth';
import { createPlugin as createAdminPlugin } from '../index';

/**
 * The flow a platform team automates, against a live gateway: the setup script provisions a
 * multi-provider wrapper through GraphQL alone, and a real client uses the token it printed.
 */
const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', '..', 'templates', 'scripts', 'setup-multi-provider.mjs');
const ADMIN_KEY = 'pc_admin_LiveGatewayAdminKeyAbcdefghijk';

let gateway: TestGateway;
let mocks: MockServer[];
let adminUrl: string;
let vars: Record<string, string>;

const gql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
  const res = await fetch(adminUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
};

beforeAll(async () => {
  const [openai, anthropic, gemini] = await Promise.all([startMockOpenAI(), startMockAnthropic(), startMockGemini()]);
  mocks = [openai, anthropic, gemini];
  gateway = await startTestGateway({
    yaml: '{}',
    plugins: [
      { plugin: createAuthPlugin() as GatewayPlugin<never> },
      { plugin: createAiWrapperPlugin() as GatewayPlugin<never> },
      { plugin: createAdminPlugin() as GatewayPlugin<never>, config: { bootstrapKeys: [{ name: 'ci', role: 'admin', value: ADMIN_KEY }] } },
    ],
    adapters: [...openaiAdapters, ...anthropicAdapters, ...geminiAdapters],
  });
  adminUrl = `${gateway.url}/admin/graphql`;
  const { stdout } = await run(process.execPath, [SCRIPT], {
    env: {
      PATH: process.env['PATH'] ?? '',
      ADMIN_URL: adminUrl,
      ADMIN_KEY,
      OPENAI_BASE_URL: `${openai.url}/v1`,
      ANTHROPIC_BASE_URL: anthropic.url,
      GEMINI_BASE_URL: `${gemini.url}/v1beta`,
    },
  });
  vars = Object.fromEntries(stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
});
afterAll(async () => {
  await gateway?.close();
  await Promise.all((mocks ?? []).map((m) => m.close()));
});

const client = (apiKey = vars['PORTCULLIS_TOKEN']!) =>
  new OpenAI({ baseURL: `${gateway.url}/api/${vars['PORTCULLIS_PROJECT_ID']}/v1`, apiKey, maxRetries: 0 });

it('the token the script created works with the official SDK, and `fast` already points at its new provider', async () => {
  expect(vars['PORTCULLIS_TOKEN']).toMatch(/^pc_live_/);
  const { data, response } = await client().chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  expect(data.choices[0]!.message.content).toBe('Echo: hi');
  expect(response.headers.get('x-portcullis-provider')).toBe('anthropic');
  for (const alias of ['smart', 'cheap']) {
    const r = await client().chat.completions.create({ model: alias, messages: [{ role: 'user', content: 'x' }] });
    expect(r.choices[0]!.message.content).toBe('Echo: x');
  }
});

it('an alias swapped through GraphQL takes effect on the next request (no restart)', async () => {
  await gql(`mutation($p: ID!) { upsertAlias(input: { projectId: $p, name: "fast", target: "openai:gpt-4o-mini", fallbacks: [] }) { name target } }`, {
    p: vars['PORTCULLIS_PROJECT_ID'],
  });
  const { response } = await client().chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  expect(response.headers.get('x-portcullis-provider')).toBe('openai');
});

it('a rotated token: the new secret works, the old one works during the grace period; revoke ends it', async () => {
  const rotated = await gql<{ rotateToken: { plaintext: string } }>(`mutation($id: ID!) { rotateToken(id: $id, graceSeconds: 600) { plaintext } }`, { id: vars['PORTCULLIS_TOKEN_ID'] });
  const fresh = rotated.rotateToken.plaintext;
  expect(fresh).not.toBe(vars['PORTCULLIS_TOKEN']);
  await expect(client(fresh).models.list()).resolves.toBeDefined();
  await expect(client().models.list()).resolves.toBeDefined();
  await gql(`mutation($id: ID!) { revokeToken(id: $id) { id } }`, { id: vars['PORTCULLIS_TOKEN_ID'] });
  await expect(client(fresh).models.list()).rejects.toMatchObject({ status: 401, code: 'revoked_api_key' });
  await expect(client().models.list()).rejects.toMatchObject({ status: 401 });
});

it("a deactivated project's tokens get 403 project inactive; reactivating restores access", async () => {
  // A fresh token for this test (the script's was revoked above).
  const created = await gql<{ createToken: { plaintext: string } }>(
    `mutation($p: ID!) { createToken(input: { projectId: $p, name: "inactive-check", scopes: ["models"] }) { plaintext } }`,
    { p: vars['PORTCULLIS_PROJECT_ID'] },
  );
  const token = created.createToken.plaintext;
  await expect(client(token).models.list()).resolves.toBeDefined();
  await gql(`mutation($id: ID!) { deactivateProject(id: $id) { active } }`, { id: vars['PORTCULLIS_PROJECT_ID'] });
  await expect(client(token).models.list()).rejects.toMatchObject({ status: 403, code: 'project_inactive', error: expect.objectContaining({ message: 'project inactive' }) });
  await gql(`mutation($id: ID!) { activateProject(id: $id) { active } }`, { id: vars['PORTCULLIS_PROJECT_ID'] });
  await expect(client(token).models.list()).resolves.toBeDefined();
});
