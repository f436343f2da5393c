import OpenAI from 'openai';
import { adapters as openaiAdapters } from '@portcullis/adapter-openai';
import { startMockEntra, startMockOpenAI, startTestGateway, type MockEntraServer, type MockOpenAIServer, type TestGateway } from '@portcullis/core/testkit';
import { firstPartyPlugins } from './fixture';

/**
 * Azure OpenAI with Microsoft Entra ID (client credentials) end to end: the official OpenAI SDK
 * talks to a real gateway, which trades the client secret for a token at the Entra mock and
 * calls the Azure mock with `Authorization: Bearer`.
 */
const PROJECT = '0b6a3c1e-6f2d-4e8a-9c1b-2d3e4f5a6b7c';
const BAD_PROJECT = '1c7b4d2f-7a3e-4f9b-8d2c-3e4f5a6b7c8d';
const TOKEN = 'pc_live_E2eAzureEntraTokenAbcdefghijklmn';
const BAD_TOKEN = 'pc_live_E2eAzureEntraBadTokenAbcdefghijk';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';
const CLIENT_SECRET = 'e2e~entra~client~secret~0123456789';
const WRONG_SECRET = 'e2e~entra~wrong~secret~9876543210';

let entra: MockEntraServer;
let azure: MockOpenAIServer;
let gateway: TestGateway;

beforeAll(async () => {
  entra = await startMockEntra({ tenantId: TENANT, clientId: CLIENT, clientSecret: CLIENT_SECRET });
  // The api-key is set to something no credential holds: only Entra tokens get through.
  azure = await startMockOpenAI({ apiKey: 'key-auth-is-disabled-here', azureBearer: (token) => entra.isValidToken(token) });
  const entraOptions = `{ auth: entra, tenantId: "${TENANT}", clientId: "${CLIENT}", authorityHost: "${entra.authorityHost}" }`;
  gateway = await startTestGateway({
    yaml: `
credentials:
  - { name: az-entra, provider: azure-openai, secret: "${CLIENT_SECRET}", baseUrl: "${azure.url}", options: ${entraOptions} }
  - { name: az-entra-wrong, provider: azure-openai, secret: "${WRONG_SECRET}", baseUrl: "${azure.url}", options: ${entraOptions} }
projects:
  - id: ${PROJECT}
    name: Azure Entra
    type: ai_wrapper
    providers: [ { provider: azure-openai, credential: az-entra } ]
    aliases: [ { name: gpt, target: "azure-openai:prod-4o" } ]
    tokens: [ { name: app, scopes: [chat, models], value: "${TOKEN}" } ]
  - id: ${BAD_PROJECT}
    name: Azure Entra misconfigured
    type: ai_wrapper
    providers: [ { provider: azure-openai, credential: az-entra-wrong } ]
    aliases: [ { name: gpt, target: "azure-openai:prod-4o" } ]
    tokens: [ { name: app, scopes: [chat], value: "${BAD_TOKEN}" } ]
`,
    plugins: firstPartyPlugins(),
    adapters: openaiAdapters,
    captureLogs: true,
  });
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([entra.close(), azure.close()]);
});

const client = (project = PROJECT, token = TOKEN) => new OpenAI({ apiKey: token, baseURL: `${gateway.url}/api/${project}/v1`, maxRetries: 0 });
const ask = (content: string) => client().chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content }] });

describe('azure-openai with auth: entra', () => {
  it('answers concurrent chat completions with one token request between them', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => ask(`hello ${i}`)));
    expect(answers.map((a) => a.choices[0]?.message.content)).toEqual(Array.from({ length: 8 }, (_, i) => `Echo: hello ${i}`));
    expect(entra.tokenRequestCount).toBe(1);
    const upstream = azure.requests.at(-1)!;
    expect(upstream.url).toMatch(/^\/openai\/deployments\/prod-4o\/chat\/completions\?api-version=/);
    expect(upstream.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(entra.isValidToken(String(upstream.headers.authorization).slice('Bearer '.length))).toBe(true);
    expect(upstream.headers).not.toHaveProperty('api-key');
  });

  it('streams with the cached token', async () => {
    const stream = await client().chat.completions.create({ model: 'gpt', stream: true, messages: [{ role: 'user', content: 'stream me mock:chunks:3' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: stream me mock:chunks:3');
    expect(entra.tokenRequestCount).toBe(1);
  });

  it('drops a token Azure refuses (401), so the next request fetches a fresh one', async () => {
    entra.revokeAll();
    const refused = await ask('after revocation').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect((refused as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_auth_failed');
    const answer = await ask('with a fresh token');
    expect(answer.choices[0]?.message.content).toBe('Echo: with a fresh token');
    expect(entra.tokenRequestCount).toBe(2);
  });

  it('a wrong client secret yields a clear 502 in OpenAI\'s envelope, naming no secret', async () => {
    const before = entra.tokenRequestCount;
    const res = await fetch(`${gateway.url}/api/${BAD_PROJECT}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BAD_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { message: string; type: string; code: string; param: string | null } };
    expect(body.error).toMatchObject({ type: 'api_error', code: 'upstream_auth_failed', param: null });
    expect(body.error.message).toContain('identity provider refused');
    expect(body.error.message).toContain('AADSTS7000215: invalid client secret');
    expect(JSON.stringify(body)).not.toContain(WRONG_SECRET);
    expect(JSON.stringify(body)).not.toContain(CLIENT); // Entra's description names the app; it is not passed on
    expect(entra.tokenRequestCount).toBe(before + 1);
    // Through the SDK it is a typed APIError like any upstream failure.
    await expect(client(BAD_PROJECT, BAD_TOKEN).chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 502 });
  });

  it('never logs the client secret or an access token', async () => {
    const logs = gateway.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(CLIENT_SECRET);
    expect(logs).not.toContain(WRONG_SECRET);
    for (const request of azure.requests) {
      const token = String(request.headers.authorization ?? '').slice('Bearer '.length);
      if (token) expect(logs).not.toContain(token);
    }
  });
});
