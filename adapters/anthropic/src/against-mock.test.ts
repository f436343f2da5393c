import { createSseDecoder, type CanonicalChatRequest, type StreamPart, type Target } from '@portcullis/core';
import { startMockAnthropic, type MockServer } from '@portcullis/core/testkit';
import { createAnthropicAdapter } from './anthropic-adapter';

/** The adapter's requests, sent to the mock Anthropic server, and its answers read back. */
describe('anthropic adapter against the mock Messages API', () => {
  const adapter = createAnthropicAdapter();
  let mock: MockServer;
  let target: Target;

  beforeAll(async () => {
    mock = await startMockAnthropic({ apiKey: 'sk-ant-e2e' });
    target = { provider: 'anthropic', model: 'claude-mock-1', baseUrl: mock.url, credential: { id: 'c', name: 'c', secret: 'sk-ant-e2e', options: {} } };
  });
  afterAll(() => mock.close());

  const send = async (req: CanonicalChatRequest): Promise<Response> => {
    const built = adapter.buildRequest(req, target);
    return fetch(built.url, { method: built.method, headers: built.headers, body: built.body ?? null });
  };

  const decode = async (res: Response): Promise<StreamPart[]> => {
    const framer = createSseDecoder();
    const decoder = adapter.createStreamDecoder(target);
    const parts: StreamPart[] = [];
    const bytes = new Uint8Array(await res.arrayBuffer());
    for (const event of [...framer.push(bytes), ...framer.end()]) parts.push(...decoder.push(event));
    parts.push(...decoder.end());
    return parts;
  };

  it('round-trips a multi-turn chat with system prompt (JSON)', async () => {
    const res = await send({
      model: 'x',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'first' },
        { role: 'user', content: 'second' },
      ],
    });
    expect(res.status).toBe(200);
    const parsed = adapter.parseResponse(await res.json(), { status: 200, headers: res.headers, target });
    expect(parsed.choices[0]!.message.content).toBe('Echo: firstsecond');
    expect(parsed.choices[0]!.finishReason).toEqual({ unified: 'stop', raw: 'end_turn' });
    expect(parsed.usage!.outputTokens).toBeGreaterThan(0);
  });

  it('round-trips a tool call and its result, then streams the follow-up', async () => {
    const tools: CanonicalChatRequest['tools'] = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    ];
    const first = await send({ model: 'x', messages: [{ role: 'user', content: 'weather?' }], tools });
    const parsed = adapter.parseResponse(await first.json(), { status: 200, headers: first.headers, target });
    const call = parsed.choices[0]!.message.tool_calls![0]!;
    expect(call.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(parsed.choices[0]!.finishReason.unified).toBe('tool_calls');

    const followUp = await send({
      model: 'x',
      stream: true,
      tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'sunny' },
      ],
    });
    const parts = await decode(followUp);
    const text = parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : [])).join('');
    expect(text).toBe('Tool result received: sunny');
    expect(parts.filter((p) => p.type === 'usage')).toHaveLength(1);
    expect(parts.at(-2)).toEqual({ type: 'finish', choice: 0, reason: { unified: 'stop', raw: 'end_turn' } });
  });

  it('streams parallel tool calls whose argument pieces reassemble to JSON', async () => {
    const res = await send({
      model: 'x',
      stream: true,
      messages: [{ role: 'user', content: 'go mock:parallel' }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const parts = await decode(res);
    for (const index of [0, 1]) {
      const args = parts.flatMap((p) => (p.type === 'tool-call-delta' && p.index === index ? [p.argumentsDelta] : [])).join('');
      expect(JSON.parse(args)).toEqual({ city: 'Paris' });
      expect(parts).toContainEqual({ type: 'tool-call-end', choice: 0, index });
    }
  });

  it('maps the mock errors: 429 with retry-after, 529 overloaded, in-band stream error', async () => {
    const limited = await send({ model: 'x', messages: [{ role: 'user', content: 'mock:error:429' }] });
    expect(adapter.mapError(limited.status, await limited.json(), limited.headers)).toMatchObject({
      code: 'GW_ERR_UPSTREAM_RATE_LIMITED',
      retryAfterMs: 2000,
      retryable: true,
    });
    const overloaded = await send({ model: 'x', messages: [{ role: 'user', content: 'mock:error:529' }] });
    expect(adapter.mapError(overloaded.status, await overloaded.json(), overloaded.headers)).toMatchObject({ code: 'GW_ERR_UPSTREAM_OVERLOADED', status: 503 });
    const parts = await decode(await send({ model: 'x', stream: true, messages: [{ role: 'user', content: 'mock:stream-error' }] }));
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'GW_ERR_UPSTREAM_OVERLOADED', retryable: true } });
  });

  it('is refused by the mock with a wrong key, which maps to an upstream auth error without the key', async () => {
    const wrongTarget = { ...target, credential: { ...target.credential, secret: 'sk-ant-wrong-secret' } };
    const built = adapter.buildRequest({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }, wrongTarget);
    const denied = await fetch(built.url, { method: 'POST', headers: built.headers, body: built.body ?? null });
    const mapped = adapter.mapError(denied.status, await denied.json(), denied.headers);
    expect(mapped).toMatchObject({ code: 'GW_ERR_UPSTREAM_AUTH', status: 502, retryable: false });
    expect(mapped.message).not.toContain('sk-ant-wrong-secret');
  });
});
