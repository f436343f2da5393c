import { mockTokenCount } from '@portcullis/core/testkit';
import { PROJECT_ID, EXTRACT_SCHEMA, MODELS_ONLY_TOKEN, SUMMARIZE_ONLY_TOKEN, WRAPPER_PROJECT_ID, WRAPPER_TOKEN, postJson, postSse, startWorld, type World } from './fixture';

/** POST /api/:project/:slug end to end: real auth plugin, real OpenAI and Anthropic mocks. */
let world: World;
const url = (slug: string) => `${world.baseURL}/${slug}`;
const lastUpstreamBody = (mock: { requests: { body: string }[] }) => JSON.parse(mock.requests[mock.requests.length - 1]!.body) as Record<string, unknown>;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world.close());

describe('JSON answers', () => {
  it('renders the template, pins the target and answers { output, usage, model, provider, request_id, endpoint }', async () => {
    const { status, headers, body } = await postJson(url('summarize'), { input: 'Q3 <revenue> & "costs"', variables: { audience: 'execs' } });
    expect(status).toBe(200);
    expect(body).toEqual({
      output: 'Echo: Summarize for execs: Q3 <revenue> & "costs"',
      usage: expect.objectContaining({ input_tokens: expect.any(Number), output_tokens: expect.any(Number), total_tokens: expect.any(Number) }),
      model: 'gpt-4o-mini',
      provider: 'openai',
      request_id: headers.get('x-request-id'),
      endpoint: { slug: 'summarize', version: 1 },
    });
    expect((body['usage'] as { output_tokens: number }).output_tokens).toBeGreaterThan(0);
    expect(headers.get('x-portcullis-provider')).toBe('openai');
    expect(headers.get('x-portcullis-endpoint')).toBe('summarize@1');
    const upstream = lastUpstreamBody(world.openai);
    expect(upstream['messages']).toEqual([
      { role: 'system', content: 'You are a <careful> summarizer & editor.' },
      { role: 'user', content: 'Summarize for execs: Q3 <revenue> & "costs"' },
    ]);
    expect(upstream['temperature']).toBe(0.2);
    expect(upstream['max_tokens'] ?? upstream['max_completion_tokens']).toBe(300);
  });

  it('returns the parsed JSON when the endpoint has an output schema (Anthropic structured output)', async () => {
    const { status, body } = await postJson(url('extract'), { input: 'Great movie, 9/10' });
    expect(status).toBe(200);
    expect(body['output']).toEqual({ title: 'title-value', score: 42 });
    expect(body['provider']).toBe('anthropic');
    const upstream = lastUpstreamBody(world.anthropic);
    expect(upstream['output_config']).toEqual({ format: { type: 'json_schema', schema: EXTRACT_SCHEMA } });
  });

  it('repairs an answer that misses the schema with one retry that shows the model its errors', async () => {
    const before = world.openai.requests.length;
    const { status, body } = await postJson(url('repaired'), { input: 'rate this' });
    expect(status).toBe(200);
    expect(body['output']).toEqual({ title: 'title-value', score: 42 });
    const calls = world.openai.requests.slice(before).map((r) => JSON.parse(r.body) as { messages: { role: string; content: string }[] });
    expect(calls).toHaveLength(2);
    expect(calls[1]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(calls[1]!.messages[1]!.content).toBe('Echo: rate this');
    expect(calls[1]!.messages[2]!.content).toContain('the answer is not valid JSON');
    // Both calls' tokens are reported (the mock counts ~4 characters per token of all message text).
    const inputTokensOf = (call: { messages: { content: string }[] }) => mockTokenCount(call.messages.map((m) => m.content).join('\n'));
    expect((body['usage'] as { input_tokens: number }).input_tokens).toBe(inputTokensOf(calls[0]!) + inputTokensOf(calls[1]!));
  });

  it('gives a clear 502 output_schema_mismatch when the repair fails too, after exactly two calls', async () => {
    const before = world.openai.requests.length;
    const { status, body } = await postJson(url('hopeless'), { input: 'rate this' });
    expect(status).toBe(502);
    expect(body).toEqual({
      error: { message: expect.stringContaining('after one repair attempt: the answer is not valid JSON'), type: 'api_error', param: null, code: 'output_schema_mismatch' },
    });
    expect(world.openai.requests.length - before).toBe(2);
  });

  it('fails over from an overloaded primary to the fallback', async () => {
    const downBefore = world.down.requests.length;
    const { status, body, headers } = await postJson(url('resilient'), { input: 'hello' });
    expect(status).toBe(200);
    expect(body['provider']).toBe('anthropic');
    expect(body['output']).toBe('Echo: hello');
    expect(headers.get('x-portcullis-provider')).toBe('anthropic');
    expect(world.down.requests.length - downBefore).toBeGreaterThanOrEqual(1);
  });
});

describe('request validation', () => {
  it('answers 422 naming the variable that breaks the input schema', async () => {
    const { status, body } = await postJson(url('summarize'), { input: 'x', variables: { audience: 'x' } });
    expect(status).toBe(422);
    expect(body['error']).toEqual(expect.objectContaining({ code: 'validation_failed', param: 'variables.audience' }));
  });

  it('answers 422 naming a required variable that is missing', async () => {
    const { status, body } = await postJson(url('summarize'), { input: 'x' });
    expect(status).toBe(422);
    expect(body['error']).toEqual(expect.objectContaining({ param: 'variables.audience' }));
  });

  it('answers 422 when the template input is missing', async () => {
    const { status, body } = await postJson(url('extract'), {});
    expect(status).toBe(422);
    expect(body['error']).toEqual(expect.objectContaining({ param: 'input' }));
  });

  it('answers 400 for a malformed body', async () => {
    const { status, body } = await postJson(url('extract'), { input: 'x', variables: 'nope' });
    expect(status).toBe(400);
    expect(body['error']).toEqual(expect.objectContaining({ param: 'variables' }));
  });
});

describe('streaming', () => {
  it('streams {"delta"} events then a final {"done"} event with usage, model and provider', async () => {
    const { status, headers, events } = await postSse(url('summarize'), { input: 'stream me mock:chunks:4', variables: { audience: 'devs' }, stream: true });
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    const deltas = events.filter((e) => 'delta' in e);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((e) => e['delta']).join('')).toBe('Echo: Summarize for devs: stream me mock:chunks:4');
    const done = events[events.length - 1]!;
    expect(done).toEqual({
      done: true,
      usage: expect.objectContaining({ input_tokens: expect.any(Number), output_tokens: expect.any(Number) }),
      model: 'gpt-4o-mini',
      provider: 'openai',
      request_id: headers.get('x-request-id'),
      endpoint: { slug: 'summarize', version: 1 },
      finish_reason: 'stop',
    });
  });

  it('streams structured output and puts the parsed value in the done event', async () => {
    const { events } = await postSse(url('extract'), { input: 'rate', stream: true });
    const done = events[events.length - 1]!;
    expect(done['done']).toBe(true);
    expect(done['output']).toEqual({ title: 'title-value', score: 42 });
  });

  it('sends an upstream failure during the stream in-band as {"error"}', async () => {
    const { status, events } = await postSse(url('extract'), { input: 'mock:stream-error', stream: true });
    expect(status).toBe(200);
    expect(events[events.length - 1]).toEqual({ error: expect.objectContaining({ message: expect.any(String), code: expect.any(String) }) });
    expect(events.some((e) => 'done' in e)).toBe(false);
  });

  it('answers a failure before the stream as plain JSON', async () => {
    const res = await postJson(url('summarize'), { input: 'x', stream: true });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('refuses a stream on an endpoint that does not allow one', async () => {
    const { status, body } = await postJson(url('no-stream'), { input: 'x', stream: true });
    expect(status).toBe(400);
    expect(body['error']).toEqual(expect.objectContaining({ param: 'stream' }));
    const plain = await postJson(url('no-stream'), { input: 'x' });
    expect(plain.status).toBe(200);
  });
});

describe('who may call what', () => {
  it('answers 404 endpoint_not_found for an unknown slug', async () => {
    const { status, body } = await postJson(url('nope'), { input: 'x' });
    expect(status).toBe(404);
    expect(body['error']).toEqual(expect.objectContaining({ code: 'endpoint_not_found' }));
  });

  it('answers 404 for an inactive endpoint, like an unknown one', async () => {
    const store = world.gateway.store;
    const record = (await store.endpoints.findOne({ projectId: PROJECT_ID, slug: 'no-stream' }))!;
    await store.endpoints.update(record.id, { active: false });
    await world.gateway.gateway.host.config.invalidate('test: endpoint deactivated');
    try {
      const { status, body } = await postJson(url('no-stream'), { input: 'x' });
      expect(status).toBe(404);
      expect(body['error']).toEqual(expect.objectContaining({ code: 'endpoint_not_found' }));
    } finally {
      await store.endpoints.update(record.id, { active: true });
      await world.gateway.gateway.host.config.invalidate('test: endpoint reactivated');
    }
  });

  it('answers 403 insufficient_scope for a token without the chat scope', async () => {
    const { status, body } = await postJson(url('extract'), { input: 'x' }, MODELS_ONLY_TOKEN);
    expect(status).toBe(403);
    expect(body['error']).toEqual(expect.objectContaining({ code: 'insufficient_scope' }));
  });

  it('honours the token’s endpoint allowlist', async () => {
    const denied = await postJson(url('extract'), { input: 'x' }, SUMMARIZE_ONLY_TOKEN);
    expect(denied.status).toBe(403);
    expect(denied.body['error']).toEqual(expect.objectContaining({ code: 'endpoint_not_allowed' }));
    const allowed = await postJson(url('summarize'), { input: 'x', variables: { audience: 'all' } }, SUMMARIZE_ONLY_TOKEN);
    expect(allowed.status).toBe(200);
  });

  it('answers 401 without a token', async () => {
    const res = await fetch(url('extract'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":"x"}' });
    expect(res.status).toBe(401);
  });

  it('does not serve slugs on projects of another type', async () => {
    const { status } = await postJson(`${world.gateway.url}/api/${WRAPPER_PROJECT_ID}/summarize`, { input: 'x' }, WRAPPER_TOKEN);
    expect(status).toBe(404);
  });
});
