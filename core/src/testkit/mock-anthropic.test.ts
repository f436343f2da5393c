import Anthropic from '@anthropic-ai/sdk';
import { startMockAnthropic } from './mock-anthropic';
import type { MockServer } from './mock-http';

/**
 * Fidelity check: Anthropic's official SDK, pointed at the mock, must parse every answer and
 * error exactly as it would from api.anthropic.com.
 */
describe('mock Anthropic Messages API (checked with @anthropic-ai/sdk)', () => {
  let mock: MockServer;
  let client: Anthropic;

  beforeAll(async () => {
    mock = await startMockAnthropic({ apiKey: 'sk-ant-mock-key' });
    client = new Anthropic({ apiKey: 'sk-ant-mock-key', baseURL: mock.url, maxRetries: 0 });
  });
  afterAll(() => mock.close());

  const weatherTool: Anthropic.Tool = {
    name: 'get_weather',
    description: 'Weather for a city',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  };

  it('answers messages.create with a message, usage and the request headers Anthropic requires', async () => {
    const message = await client.messages.create({
      model: 'claude-mock-1',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello mock' }],
    });
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.model).toBe('claude-mock-1');
    expect(message.content).toEqual([{ type: 'text', text: 'Echo: Hello mock' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBe(Math.ceil('Echo: Hello mock'.length / 4));
    const recorded = mock.requests[mock.requests.length - 1]!;
    expect(recorded.url).toBe('/v1/messages');
    // SDK 1.x sends the key as a bearer token; the gateway sends x-api-key (checked below).
    expect(recorded.headers.authorization).toBe('Bearer sk-ant-mock-key');
    // SDK 1.x pins a newer API version than the gateway's 2023-06-01; the mock accepts any.
    expect(recorded.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('streams with messages.stream(): text events in order and a finalMessage() with usage', async () => {
    const stream = client.messages.stream({
      model: 'claude-mock-1',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'stream me mock:chunks:5' }],
    });
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const final = await stream.finalMessage();
    const expected = 'Echo: stream me mock:chunks:5';
    expect(deltas.length).toBe(5);
    expect(deltas.join('')).toBe(expected);
    expect(final.content).toEqual([{ type: 'text', text: expected }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage.output_tokens).toBe(Math.ceil(expected.length / 4));
    expect(final.usage.input_tokens).toBeGreaterThan(0);
  });

  it('sends Anthropic SSE framing: named events from message_start to message_stop, with a ping', async () => {
    const res = await fetch(`${mock.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-mock-key', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-mock-1', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = [...(await res.text()).matchAll(/^event: (\S+)\ndata: (.*)$/gm)].map((m) => {
      const data = JSON.parse(m[2]!) as { type: string };
      expect(data.type).toBe(m[1]);
      return m[1];
    });
    expect(events[0]).toBe('message_start');
    expect(events).toContain('ping');
    expect(events.slice(-4)).toEqual(['content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
  });

  it('calls the first tool (create): tool_use block with schema-shaped input', async () => {
    const message = await client.messages.create({
      model: 'claude-mock-1',
      max_tokens: 100,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([{ type: 'tool_use', id: 'toolu_mock_1', name: 'get_weather', input: { city: 'Paris' } }]);
  });

  it('streams tool use: the SDK reassembles input_json_delta fragments into the input', async () => {
    const stream = client.messages.stream({
      model: 'claude-mock-1',
      max_tokens: 100,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Weather twice mock:parallel' }],
    });
    const fragments: string[] = [];
    stream.on('inputJson', (partial) => fragments.push(partial));
    const final = await stream.finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content).toEqual([
      { type: 'tool_use', id: 'toolu_mock_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'toolu_mock_2', name: 'get_weather', input: { city: 'Paris' } },
    ]);
    // Split into several pieces per call (the SDK only reports non-empty fragments).
    expect(fragments.length).toBeGreaterThan(4);
  });

  it('answers a tool result round trip in alternating turns', async () => {
    const message = await client.messages.create({
      model: 'claude-mock-1',
      max_tokens: 100,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '18C' }] },
      ],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Tool result received: 18C' }]);
  });

  it('reports max_tokens when the answer is cut', async () => {
    const message = await client.messages.create({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'cut mock:length' }] });
    expect(message.stop_reason).toBe('max_tokens');
  });

  it('raises RateLimitError with retry-after on mock:error:429', async () => {
    const error = await client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'mock:error:429' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimit = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers.get('retry-after')).toBe('2');
    expect(rateLimit.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(rateLimit.requestID).toMatch(/^req_mock_/);
  });

  it('raises an overloaded (529) error on mock:error:529', async () => {
    const error = await client.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'mock:error:529' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.OverloadedError);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: 'overloaded_error' } });
  });

  it('raises AuthenticationError for a wrong or missing key', async () => {
    const wrong = new Anthropic({ apiKey: 'sk-ant-wrong', baseURL: mock.url, maxRetries: 0 });
    const error = await wrong.messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    const res = await fetch(`${mock.url}/v1/messages`, { method: 'POST', headers: { 'anthropic-version': '2023-06-01' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('raises BadRequestError for what Anthropic rejects: missing max_tokens, non-alternating roles', async () => {
    const missing = await fetch(`${mock.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-ant-mock-key', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
    const error = await client.messages
      .create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('raises BadRequestError for a tool id outside Anthropic\'s pattern, in tool_use and tool_result', async () => {
    const withId = (id: string) =>
      client.messages
        .create({
          model: 'm',
          max_tokens: 10,
          messages: [
            { role: 'user', content: 'weather?' },
            { role: 'assistant', content: [{ type: 'tool_use', id, name: 'get_weather', input: {} }] },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_ok', content: '18C' }] },
          ],
        })
        .catch((e: unknown) => e);
    const bad = await withId('call+1/x=');
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as Error).message).toContain('messages.1.content.0.tool_use.id');
    await expect(withId('call_1__thought__bAbC-_9')).resolves.toMatchObject({ type: 'message' });
  });

  it('surfaces an in-band stream error event as an SDK error after partial text', async () => {
    const stream = client.messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'mock:stream-error mock:chunks:4' }] });
    const deltas: string[] = [];
    stream.on('text', (delta) => deltas.push(delta));
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ error: { type: 'overloaded_error' } });
    expect(deltas.length).toBe(2);
  });

  it('accepts the x-api-key header the gateway sends and rejects a request without anthropic-version', async () => {
    const request = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${mock.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'claude-mock-1', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
      });
    const ok = await request({ 'x-api-key': 'sk-ant-mock-key', 'anthropic-version': '2023-06-01' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'Echo: hi' }] });
    const noVersion = await request({ 'x-api-key': 'sk-ant-mock-key' });
    expect(noVersion.status).toBe(400);
    expect(await noVersion.json()).toMatchObject({ error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } });
  });

  it('serves the non-Anthropic failure scenarios: an HTML 502 and a 200 whose body is not JSON', async () => {
    const request = (content: string): Promise<Response> =>
      fetch(`${mock.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'sk-ant-mock-key', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'claude-mock-1', max_tokens: 20, messages: [{ role: 'user', content }] }),
      });
    const html = await request('mock:html-error');
    expect([html.status, html.headers.get('content-type')]).toEqual([502, 'text/html']);
    const garbage = await request('mock:garbage');
    expect(garbage.status).toBe(200);
    await expect(garbage.json()).rejects.toThrow();
  });

  it('answers unknown routes with not_found_error', async () => {
    const res = await fetch(`${mock.url}/v1/complete`, { method: 'POST', headers: { 'x-api-key': 'sk-ant-mock-key' }, body: '{}' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});
