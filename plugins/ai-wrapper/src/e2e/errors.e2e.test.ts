import OpenAI from 'openai';
import { createOpenAISchemaValidator } from '@portcullis/core/testkit';
import { MODELS_ONLY_TOKEN, OTHER_PROJECT_ID, OTHER_PROJECT_TOKEN, PROJECT_ID, startE2eWorld, TOKEN, type E2eWorld } from './fixture';

/** Every bad input: the right status, OpenAI's envelope, a clear message, and nothing leaked. */
let world: E2eWorld;
const { validateOpenAI } = createOpenAISchemaValidator();

beforeAll(async () => {
  world = await startE2eWorld();
});
afterAll(() => world.close());

interface Envelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

async function call(path: string, init: RequestInit & { token?: string | null } = {}): Promise<{ status: number; body: Envelope; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (init.token !== null) headers.set('authorization', `Bearer ${init.token ?? TOKEN}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(`${world.gateway.url}${path}`, { ...init, headers });
  const text = await res.text();
  let body: Envelope;
  try {
    body = JSON.parse(text) as Envelope;
  } catch {
    throw new Error(`not JSON (${res.status}): ${text.slice(0, 200)}`);
  }
  return { status: res.status, body, headers: res.headers };
}

const chatPath = `/api/${PROJECT_ID}/v1/chat/completions`;
const chat = (body: unknown, init: RequestInit & { token?: string | null } = {}) => call(chatPath, { method: 'POST', body: JSON.stringify(body), ...init });
const hello = { model: 'gpt', messages: [{ role: 'user', content: 'hi' }] };

const expectEnvelope = (r: { status: number; body: Envelope }, status: number, code: string, param?: string | null): void => {
  expect({ status: r.status, code: r.body.error?.code }).toEqual({ status, code });
  expect(validateOpenAI('ErrorResponse', r.body)).toEqual([]);
  expect(r.body.error.message.length).toBeGreaterThan(5);
  if (param !== undefined) expect(r.body.error.param).toBe(param);
};

describe('authentication and authorisation', () => {
  it('401 without a key', async () => expectEnvelope(await chat(hello, { token: null }), 401, 'missing_api_key'));
  it('401 with a wrong key', async () => expectEnvelope(await chat(hello, { token: 'pc_live_NotARealTokenAbcdefghijklmnop' }), 401, 'invalid_api_key'));
  it('401 with a malformed Authorization header', async () =>
    expectEnvelope(await chat(hello, { token: null, headers: { authorization: 'Basic abc' } }), 401, 'missing_api_key'));
  it('a token of another project is just an invalid key here (no hint the project exists)', async () => {
    const r = await chat(hello, { token: OTHER_PROJECT_TOKEN });
    expectEnvelope(r, 401, 'invalid_api_key');
    expect(r.body.error.message).not.toContain(OTHER_PROJECT_ID);
  });
  it('403 when the token lacks the scope', async () => {
    const r = await chat(hello, { token: MODELS_ONLY_TOKEN });
    expectEnvelope(r, 403, 'insufficient_scope');
    const models = await fetch(`${world.baseURL}/models`, { headers: { authorization: `Bearer ${MODELS_ONLY_TOKEN}` } });
    expect(models.status).toBe(200);
  });
  it('unknown and wrong-type projects answer alike (404)', async () => {
    expectEnvelope(await call('/api/00000000-0000-4000-8000-000000000000/v1/chat/completions', { method: 'POST', body: JSON.stringify(hello) }), 404, 'project_not_found');
  });
  it('the official SDK surfaces AuthenticationError', async () => {
    const client = new OpenAI({ baseURL: world.baseURL, apiKey: 'pc_live_WrongWrongWrongWrongWrongWrong', maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});

describe('request validation', () => {
  it.each([
    ['no model', { messages: [{ role: 'user', content: 'x' }] }, 400, 'model_required', 'model'],
    ['no messages', { model: 'gpt' }, 400, 'invalid_request', 'messages'],
    ['empty messages', { model: 'gpt', messages: [] }, 400, 'invalid_request', 'messages'],
    ['bad role', { model: 'gpt', messages: [{ role: 'wizard', content: 'x' }] }, 400, 'invalid_request', 'messages[0].role'],
    ['content of the wrong type', { model: 'gpt', messages: [{ role: 'user', content: 42 }] }, 400, 'invalid_request', 'messages[0].content'],
    ['tool message without tool_call_id', { model: 'gpt', messages: [{ role: 'tool', content: 'x' }] }, 400, 'invalid_request', 'messages[0].tool_call_id'],
    ['temperature out of range', { ...hello, temperature: 3 }, 400, 'invalid_request', 'temperature'],
    ['n not an integer', { ...hello, n: 1.5 }, 400, 'invalid_request', 'n'],
    ['stream not boolean', { ...hello, stream: 'yes' }, 400, 'invalid_request', 'stream'],
    ['stream_options without stream', { ...hello, stream_options: { include_usage: true } }, 400, 'invalid_request', 'stream_options'],
    ['bad tool', { ...hello, tools: [{ type: 'function', function: { name: 'has spaces' } }] }, 400, 'invalid_request', 'tools[0].function.name'],
    ['bad tool_choice', { ...hello, tool_choice: 'sometimes' }, 400, 'invalid_request', 'tool_choice'],
    ['bad response_format', { ...hello, response_format: { type: 'yaml' } }, 400, 'invalid_request', 'response_format.type'],
    ['unknown alias', { ...hello, model: 'nope' }, 404, 'model_not_found', 'model'],
    ['unknown provider', { ...hello, model: 'acme:gpt-9' }, 400, 'unknown_provider', 'model'],
    ['disabled provider', { ...hello, model: 'groq:llama-3.1-8b-instant' }, 403, 'provider_disabled', 'model'],
  ])('%s', async (_name, body, status, code, param) => expectEnvelope(await chat(body), status, code, param));

  it('refuses a body that is not JSON', async () => expectEnvelope(await call(chatPath, { method: 'POST', body: '{"model": ' }), 400, 'invalid_json'));
  it('refuses an empty body', async () => expectEnvelope(await call(chatPath, { method: 'POST', body: '' , headers: { 'content-type': 'application/json' } }), 400, 'invalid_json'));
  it('refuses a non-JSON content type', async () =>
    expectEnvelope(await call(chatPath, { method: 'POST', body: 'model=gpt', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type'));
  it('refuses a body over the limit with 413', async () => {
    const huge = { ...hello, messages: [{ role: 'user', content: 'x'.repeat(11 * 1024 * 1024) }] };
    expectEnvelope(await chat(huge), 413, 'request_too_large');
  });
  it('errors on a streaming request arrive as JSON before any SSE', async () => {
    const r = await chat({ ...hello, model: 'nope', stream: true });
    expectEnvelope(r, 404, 'model_not_found');
    expect(r.headers.get('content-type')).toContain('application/json');
  });
});

describe('unknown routes and methods', () => {
  it('404 in the envelope under /v1, never an HTML page', async () => {
    const r = await call(`/api/${PROJECT_ID}/v1/completions-nope`, { method: 'POST', body: '{}' });
    expectEnvelope(r, 404, 'unknown_url');
  });
  it('405 for a known path with the wrong method', async () => {
    const r = await call(chatPath, { method: 'GET' });
    expectEnvelope(r, 405, 'method_not_allowed');
    expect(r.headers.get('allow')).toBe('POST');
  });
});

describe('upstream failures', () => {
  it('an HTML error page upstream becomes a JSON 502', async () => expectEnvelope(await chat({ ...hello, content: undefined, messages: [{ role: 'user', content: 'mock:html-error' }] }), 502, 'upstream_error'));
  it('a 200 with a non-JSON body becomes a 502 bad response', async () =>
    expectEnvelope(await chat({ ...hello, messages: [{ role: 'user', content: 'mock:garbage' }] }), 502, 'upstream_bad_response'));
  it('an upstream auth failure is a 502 that never shows the provider key', async () => {
    const r = await chat({ ...hello, messages: [{ role: 'user', content: 'mock:error:401' }] });
    expectEnvelope(r, 502, 'upstream_auth_failed');
    expect(JSON.stringify(r.body)).not.toMatch(/sk-e2e|sk-ant-e2e|AIzaE2e/);
  });
  it('an in-band stream error reaches the client as an SSE error event', async () => {
    const res = await fetch(`${world.gateway.url}${chatPath}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...hello, stream: true, messages: [{ role: 'user', content: 'mock:stream-error' }] }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
  });
});

it('every response carries x-request-id, and a caller-supplied one is kept', async () => {
  const r = await chat(hello, { headers: { 'x-request-id': 'trace-abc-123' } });
  expect(r.headers.get('x-request-id')).toBe('trace-abc-123');
  const bad = await chat(hello, { token: null });
  expect(bad.headers.get('x-request-id')).toMatch(/^req_/);
});
