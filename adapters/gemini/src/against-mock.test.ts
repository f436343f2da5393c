import { createSseDecoder, type CanonicalChatRequest, type StreamPart, type Target, type UpstreamEvent } from '@portcullis/core';
import { startMockGemini, type MockServer } from '@portcullis/core/testkit';
import { geminiAdapter } from './adapter';

/** The adapter against the Gemini mock over real HTTP: request shape, responses, streams, errors. */
describe('gemini adapter against the mock upstream', () => {
  const KEY = 'AIzaMockKey';
  let mock: MockServer;
  let target: Target;

  beforeAll(async () => {
    mock = await startMockGemini({ apiKey: KEY });
    target = { provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: `${mock.url}/v1beta`, credential: { id: 'c', name: 'c', secret: KEY, options: {} } };
  });
  afterAll(() => mock.close());

  const send = async (req: CanonicalChatRequest, to: Target = target) => {
    const built = geminiAdapter.buildRequest(req, to);
    const res = await fetch(built.url, { method: built.method, headers: built.headers, body: built.body ?? null });
    return { res, text: await res.text() };
  };
  const chat = async (req: CanonicalChatRequest) => {
    const { res, text } = await send(req);
    expect(res.status).toBe(200);
    return geminiAdapter.parseResponse(JSON.parse(text), { status: res.status, headers: res.headers, target });
  };
  const stream = async (req: CanonicalChatRequest): Promise<StreamPart[]> => {
    const { text } = await send({ ...req, stream: true });
    const framer = createSseDecoder();
    const decoder = geminiAdapter.createStreamDecoder(target);
    const events: UpstreamEvent[] = [...framer.push(new TextEncoder().encode(text)), ...framer.end()];
    return [...events.flatMap((e) => decoder.push(e)), ...decoder.end()];
  };

  it('round-trips a text chat with usage', async () => {
    const res = await chat({ model: 'x', messages: [{ role: 'system', content: 'be kind' }, { role: 'user', content: 'hello' }] });
    expect(res.choices[0]!.message.content).toBe('Echo: hello');
    expect(res.choices[0]!.finishReason).toEqual({ unified: 'stop', raw: 'STOP' });
    expect(res.usage!.outputTokens).toBe(Math.ceil('Echo: hello'.length / 4));
  });

  it('round-trips a tool call and its result', async () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, additionalProperties: false } } }];
    const first = await chat({ model: 'x', messages: [{ role: 'user', content: 'weather?' }], tools });
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(call).toEqual({ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(first.choices[0]!.finishReason.unified).toBe('tool_calls');
    const second = await chat({
      model: 'x',
      tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"temp":21}' },
      ],
    });
    expect(second.choices[0]!.message.content).toBe('Tool result received: {"temp":21}');
  });

  describe('Gemini 3 thought signatures', () => {
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    let gemini3: Target;
    beforeAll(() => {
      gemini3 = { ...target, model: 'gemini-3-pro-preview' };
    });
    const chat3 = async (req: CanonicalChatRequest) => {
      const { res, text } = await send(req, gemini3);
      return { status: res.status, text, parsed: res.status === 200 ? geminiAdapter.parseResponse(JSON.parse(text), { status: res.status, headers: res.headers, target: gemini3 }) : null };
    };
    const followUp = (call: { id: string; type: 'function'; function: { name: string; arguments: string } }): CanonicalChatRequest => ({
      model: 'x',
      tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"temp":21}' },
      ],
    });

    it('carries the signature in the tool call id, so the next turn is accepted', async () => {
      const first = await chat3({ model: 'x', messages: [{ role: 'user', content: 'weather?' }], tools });
      const call = first.parsed!.choices[0]!.message.tool_calls![0]!;
      expect(call.id).toMatch(/^call_1__thought__[A-Za-z0-9_-]+$/);
      const second = await chat3(followUp(call));
      expect(second.status).toBe(200);
      expect(second.parsed!.choices[0]!.message.content).toBe('Tool result received: {"temp":21}');
    });

    it('does the same on a stream', async () => {
      const { text } = await send({ model: 'x', messages: [{ role: 'user', content: 'weather?' }], tools, stream: true }, gemini3);
      const framer = createSseDecoder();
      const decoder = geminiAdapter.createStreamDecoder(gemini3);
      const parts = [...framer.push(new TextEncoder().encode(text)), ...framer.end()].flatMap((e) => decoder.push(e));
      const start = parts.find((p) => p.type === 'tool-call-start');
      expect(start).toBeDefined();
      const id = start!.type === 'tool-call-start' ? start!.id : '';
      expect(id).toContain('__thought__');
      const second = await chat3(followUp({ id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }));
      expect(second.status).toBe(200);
    });

    it('accepts a history whose calls came from another provider (no signature to send back)', async () => {
      const second = await chat3(followUp({ id: 'toolu_01A09q90qw90lq917835lq9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }));
      expect(second.status).toBe(200);
    });

    it('is refused by the upstream when a client damaged the id (proves the mock checks)', async () => {
      const first = await chat3({ model: 'x', messages: [{ role: 'user', content: 'weather?' }], tools });
      const call = first.parsed!.choices[0]!.message.tool_calls![0]!;
      const damaged = { ...call, id: call.id.replace(/__thought__.*/, '__thought__rZm9yZ2Vk') };
      const second = await chat3(followUp(damaged));
      expect(second.status).toBe(400);
      expect(second.text).toContain('Corrupted thought signature');
    });
  });

  it('streams text deltas that join to the answer, then finish and usage', async () => {
    const parts = await stream({ model: 'x', messages: [{ role: 'user', content: 'mock:chunks:4 stream please' }] });
    const text = parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : [])).join('');
    expect(text).toBe('Echo: mock:chunks:4 stream please');
    expect(parts.filter((p) => p.type === 'text-delta')).toHaveLength(4);
    expect(parts.slice(-2).map((p) => p.type)).toEqual(['finish', 'usage']);
  });

  it('streams an in-band error as an error part', async () => {
    const parts = await stream({ model: 'x', messages: [{ role: 'user', content: 'mock:stream-error now' }] });
    expect(parts[parts.length - 1]).toMatchObject({ type: 'error', error: { code: 'GW_ERR_UPSTREAM_ERROR' } });
  });

  it('maps the mock errors: 429 with retry delay, wrong key as upstream auth', async () => {
    const limited = await send({ model: 'x', messages: [{ role: 'user', content: 'mock:error:429' }] });
    expect(geminiAdapter.mapError(limited.res.status, JSON.parse(limited.text), limited.res.headers)).toMatchObject({
      code: 'GW_ERR_UPSTREAM_RATE_LIMITED',
      retryAfterMs: 2000,
    });
    const wrongKey = await send({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }, { ...target, credential: { ...target.credential, secret: 'AIzaWrong' } });
    const mapped = geminiAdapter.mapError(wrongKey.res.status, JSON.parse(wrongKey.text), wrongKey.res.headers);
    expect(mapped).toMatchObject({ code: 'GW_ERR_UPSTREAM_AUTH', status: 502 });
    expect(mapped.message).not.toContain('AIzaWrong');
  });

  it('embeds through :embedContent and :batchEmbedContents', async () => {
    const embeddings = geminiAdapter.embeddings!;
    const to: Target = { ...target, model: 'text-embedding-004' };
    for (const input of ['one', ['one', 'two']]) {
      const built = embeddings.buildRequest({ model: 'e', input, dimensions: 3 }, to);
      const res = await fetch(built.url, { method: 'POST', headers: built.headers, body: built.body ?? null });
      const parsed = embeddings.parseResponse(await res.json(), { status: res.status, headers: res.headers, target: to });
      expect(parsed.data).toHaveLength(Array.isArray(input) ? 2 : 1);
      expect(parsed.data[0]!.embedding).toHaveLength(3);
    }
  });
});
