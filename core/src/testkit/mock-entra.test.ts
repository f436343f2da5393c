import OpenAI from 'openai';
import { startMockEntra, type MockEntraServer } from './mock-entra';
import { startMockOpenAI, type MockOpenAIServer } from './mock-openai';

/**
 * The Entra mock against the shapes Microsoft documents for the client credentials grant
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow),
 * and the OpenAI mock's Azure routes taking the tokens it issues.
 */
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';
const SECRET = 'mock~entra~secret~value~0123';
const SCOPE = 'https://cognitiveservices.azure.com/.default';

let entra: MockEntraServer;
let openai: MockOpenAIServer;

beforeAll(async () => {
  entra = await startMockEntra({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, expiresInSeconds: 3599 });
  openai = await startMockOpenAI({ apiKey: 'azure-api-key', azureBearer: (token) => entra.isValidToken(token) });
});
afterAll(async () => {
  await Promise.all([entra.close(), openai.close()]);
});

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const good = { grant_type: 'client_credentials', client_id: CLIENT, client_secret: SECRET, scope: SCOPE };

async function tokenRequest(body: string, tenant = TENANT, contentType = 'application/x-www-form-urlencoded'): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${entra.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function issueToken(): Promise<string> {
  const { json } = await tokenRequest(form(good));
  return json.access_token as string;
}

describe('mock Entra token endpoint', () => {
  it('issues a bearer token in the documented shape and counts requests', async () => {
    const before = entra.tokenRequestCount;
    const { status, json } = await tokenRequest(form(good));
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(['access_token', 'expires_in', 'ext_expires_in', 'token_type']);
    expect(json).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(String(json.access_token).split('.')).toHaveLength(3);
    expect(entra.isValidToken(json.access_token as string)).toBe(true);
    expect(entra.isValidToken('forged')).toBe(false);
    expect(entra.tokenRequestCount).toBe(before + 1);
  });

  it.each([
    ['a wrong secret', form({ ...good, client_secret: 'wrong' }), TENANT, 401, 'invalid_client', 7000215],
    ['no secret', form({ grant_type: 'client_credentials', client_id: CLIENT, scope: SCOPE }), TENANT, 401, 'invalid_client', 7000218],
    ['an unknown client', form({ ...good, client_id: 'someone-else' }), TENANT, 400, 'unauthorized_client', 700016],
    ['an unknown tenant', form(good), 'other-tenant', 400, 'invalid_request', 90002],
    ['another grant type', form({ ...good, grant_type: 'password' }), TENANT, 400, 'unsupported_grant_type', 70003],
    ['no grant type', form({ client_id: CLIENT, client_secret: SECRET, scope: SCOPE }), TENANT, 400, 'invalid_request', 900144],
    ['a scope without /.default', form({ ...good, scope: 'https://cognitiveservices.azure.com' }), TENANT, 400, 'invalid_scope', 1002012],
    ['another resource', form({ ...good, scope: 'https://graph.microsoft.com/.default' }), TENANT, 400, 'invalid_resource', 500011],
  ])('answers %s with Entra\'s error body', async (_label, body, tenant, status, error, code) => {
    const res = await tokenRequest(body, tenant);
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ error, error_codes: [code] });
    expect(String(res.json.error_description)).toMatch(new RegExp(`^AADSTS${code}: .+ Trace ID: `));
    expect(res.json).toHaveProperty('trace_id');
    expect(res.json).toHaveProperty('correlation_id');
    expect(res.json).not.toHaveProperty('access_token');
  });

  it('refuses a JSON body (the endpoint takes forms only)', async () => {
    const res = await tokenRequest(JSON.stringify(good), TENANT, 'application/json');
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_request');
  });

  it('can simulate an outage', async () => {
    entra.failNext(503);
    const res = await tokenRequest(form(good));
    expect(res.status).toBe(503);
    expect(res.json.error).toBe('temporarily_unavailable');
    expect((await tokenRequest(form(good))).status).toBe(200);
  });
});

describe('mock OpenAI Azure routes with Entra tokens', () => {
  const azure = (headers: Record<string, string>) =>
    new OpenAI({ apiKey: 'unused', baseURL: `${openai.url}/openai/deployments/prod-4o`, defaultQuery: { 'api-version': '2024-10-21' }, defaultHeaders: headers, maxRetries: 0 });

  it('accepts a token the Entra mock issued, as Authorization: Bearer', async () => {
    const token = await issueToken();
    const completion = await azure({ authorization: `Bearer ${token}` }).chat.completions.create({ model: 'ignored', messages: [{ role: 'user', content: 'entra hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Echo: entra hi');
  });

  it('still accepts the api-key', async () => {
    const completion = await azure({ 'api-key': 'azure-api-key' }).chat.completions.create({ model: 'ignored', messages: [{ role: 'user', content: 'key hi' }] });
    expect(completion.choices[0]?.message.content).toBe('Echo: key hi');
  });

  it('answers a forged or revoked token with Azure\'s 401', async () => {
    await expect(azure({ authorization: 'Bearer forged' }).chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 401 });
    const token = await issueToken();
    entra.revokeAll();
    const res = await fetch(`${openai.url}/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: '401', message: expect.stringContaining('Access token is missing, invalid') } });
  });

  it('refuses bearer tokens when not configured for Entra', async () => {
    const plain = await startMockOpenAI();
    try {
      const res = await fetch(`${plain.url}/openai/deployments/d/chat/completions?api-version=2024-10-21`, {
        method: 'POST',
        headers: { authorization: 'Bearer anything', 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(res.status).toBe(401);
    } finally {
      await plain.close();
    }
  });
});
