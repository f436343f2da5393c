import { createSseDecoder, type CanonicalChatRequest, type ProviderAdapter, type StreamPart, type Target, type UpstreamRequest } from '@portcullis/core';
import { startMockOpenAI, type MockOpenAIServer } from '@portcullis/core/testkit';
import { adapters } from './index';

/**
 * The adapters against the OpenAI mock over real loopback HTTP: what buildRequest produces is
 * accepted by an OpenAI-shaped server, and what that server answers parses and decodes.
 */
const SECRET = 'sk-roundtrip-secret-0123456789abcdef';
let mock: MockOpenAIServer;
beforeAll(async () => {
  mock = await startMockOpenAI({ apiKey: SECRET });
});
afterAll(async () => {
  await mock.close();
});

const adapterFor = (provider: string): ProviderAdapter => adapters.find((a) => a.providers.includes(provider))!;
const openaiTarget = (secret = SECRET): Target => ({ provider: 'openai', model: 'gpt-4o-mini', baseUrl: mock.baseURL, credential: { id: 'c', name: 'c', secret, options: {} } });
const azureTarget = (): Target => ({ provider: 'azure-openai', model: 'prod-dep', baseUrl: mock.url, credential: { id: 'c', name: 'c', secret: SECRET, options: {} } });

const send = (req: UpstreamRequest): Promise<Response> =>
  fetch(req.url, { method: req.method, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }) });

async function streamParts(adapter: ProviderAdapter, target: Target, res: Response): Promise<StreamPart[]> {
  const framer = createSseDecoder();
  const decoder = adapter.createStreamDecoder(target);
  const parts: StreamPart[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const e of framer.push(chunk)) parts.push(...decoder.push(e));
  for (const e of framer.end()) parts.push(...decoder.push(e));
  parts.push(...decoder.end());
  return parts;
}

const ask = (content: string, extra: Partial<CanonicalChatRequest> = {}): CanonicalChatRequest => ({ model: 'alias', messages: [{ role: 'user', content }], ...extra });

describe.each([
  ['openai', openaiTarget],
  ['azure-openai', azureTarget],
])('%s adapter against the mock', (provider, targetFor) => {
  const adapter = adapterFor(provider);

  it('parses a JSON completion', async () => {
    const target = targetFor();
    const res = await send(adapter.buildRequest(ask('ping'), target));
    expect(res.status).toBe(200);
    const parsed = adapter.parseResponse(await res.json(), { status: 200, headers: res.headers, target });
    expect(parsed.choices[0]).toMatchObject({ message: { content: 'Echo: ping' }, finishReason: { unified: 'stop', raw: 'stop' } });
    expect(parsed.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('decodes a streamed tool-call answer with usage (requested by the adapter itself)', async () => {
    const target = targetFor();
    const tools: CanonicalChatRequest['tools'] = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const res = await send(adapter.buildRequest(ask('go mock:parallel', { stream: true, tools }), target));
    const parts = await streamParts(adapter, target, res);
    const args = new Map<number, string>();
    for (const p of parts) if (p.type === 'tool-call-delta') args.set(p.index, (args.get(p.index) ?? '') + p.argumentsDelta);
    expect([...args.values()].map((a) => JSON.parse(a))).toEqual([{ city: 'Paris' }, { city: 'Paris' }]);
    expect(parts.filter((p) => p.type === 'tool-call-end')).toHaveLength(2);
    expect(parts.at(-2)).toEqual({ type: 'finish', choice: 0, reason: { unified: 'tool_calls', raw: 'tool_calls' } });
    expect(parts.at(-1)?.type).toBe('usage');
  });

  it('maps a 429 with its retry-after', async () => {
    const res = await send(adapter.buildRequest(ask('mock:error:429'), targetFor()));
    const mapped = adapter.mapError(res.status, await res.text(), res.headers);
    expect(mapped).toMatchObject({ code: 'GW_ERR_UPSTREAM_RATE_LIMITED', status: 429, retryable: true, retryAfterMs: 2000 });
  });

  it('embeds, always as floats', async () => {
    const target = targetFor();
    const req = adapter.embeddings!.buildRequest({ model: 'emb', input: ['a', 'b'], encoding_format: 'base64', dimensions: 4 }, target);
    const res = await send(req);
    const parsed = adapter.embeddings!.parseResponse(await res.json(), { status: res.status, headers: res.headers, target });
    expect(parsed.data.map((d) => d.embedding.length)).toEqual([4, 4]);
  });
});

it('a wrong key echoed back by the upstream never reaches the mapped message', async () => {
  const wrongKey = 'sk-proj-WrongKeyWrongKey0123456789';
  const adapter = adapterFor('openai');
  const res = await send(adapter.buildRequest(ask('hi'), openaiTarget(wrongKey)));
  expect(res.status).toBe(401);
  const body = await res.text();
  expect(body).toContain('Incorrect API key provided: sk-pro'); // the mock echoes a masked key, like OpenAI
  const mapped = adapter.mapError(res.status, body, res.headers);
  expect(mapped.code).toBe('GW_ERR_UPSTREAM_AUTH');
  expect(mapped.message).not.toContain('sk-pro');
  expect(mapped.message).not.toContain(wrongKey.slice(-4));
});
