import type { StreamPart, Target, UpstreamRequest } from '@portcullis/core';
import { startMockBedrock, type MockServer } from '@portcullis/core/testkit';
import { createBedrockAdapter } from './index';

/**
 * The adapter end to end against the Bedrock mock over real HTTP: the mock re-verifies our
 * synchronous SigV4 signature with @smithy/signature-v4, so a signing slip fails here.
 */
const credentials = { accessKeyId: 'AKIDROUNDTRIP', secretAccessKey: 'round/trip+secret' };
const adapter = createBedrockAdapter();
let mock: MockServer;
let target: Target;

beforeAll(async () => {
  mock = await startMockBedrock({ credentials });
  target = {
    provider: 'bedrock',
    model: 'anthropic.claude-3-haiku-20240307-v1:0',
    baseUrl: mock.url,
    credential: { id: 'c', name: 'c', secret: credentials.secretAccessKey, options: { accessKeyId: credentials.accessKeyId, region: 'ap-southeast-2' } },
  };
});
afterAll(() => mock.close());

const send = (built: UpstreamRequest): Promise<Response> =>
  fetch(built.url, { method: built.method, headers: built.headers, ...(built.body !== undefined ? { body: built.body } : {}) });

async function streamParts(res: Response): Promise<StreamPart[]> {
  const framer = adapter.createFrameDecoder!();
  const decoder = adapter.createStreamDecoder(target);
  const parts: StreamPart[] = [];
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const e of framer.push(chunk)) parts.push(...decoder.push(e));
  for (const e of framer.end()) parts.push(...decoder.push(e));
  parts.push(...decoder.end());
  return parts;
}

describe('bedrock adapter <-> mock Bedrock', () => {
  it('is accepted (signature verified) and parses the JSON answer', async () => {
    const res = await send(adapter.buildRequest({ model: 'x', messages: [{ role: 'system', content: 'be nice' }, { role: 'user', content: 'ping' }] }, target));
    expect(res.status).toBe(200);
    const parsed = adapter.parseResponse(await res.json(), { status: 200, headers: res.headers, target });
    expect(parsed.choices[0]!.message.content).toBe('Echo: ping');
    expect(parsed.id).toMatch(/^bedrock-/);
    expect(parsed.usage!.totalTokens).toBe(parsed.usage!.inputTokens + parsed.usage!.outputTokens);
  });

  it('streams tool calls whose deltas join to the arguments', async () => {
    const res = await send(
      adapter.buildRequest(
        { model: 'x', stream: true, messages: [{ role: 'user', content: 'weather? mock:parallel' }], tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }] },
        target,
      ),
    );
    const parts = await streamParts(res);
    const args = (i: number): string => parts.filter((p): p is Extract<StreamPart, { type: 'tool-call-delta' }> => p.type === 'tool-call-delta' && p.index === i).map((p) => p.argumentsDelta).join('');
    expect(JSON.parse(args(0))).toEqual({ city: 'Paris' });
    expect(JSON.parse(args(1))).toEqual({ city: 'Paris' });
    expect(parts.filter((p) => p.type === 'tool-call-end')).toHaveLength(2);
    expect(parts.find((p) => p.type === 'finish')).toEqual({ type: 'finish', choice: 0, reason: { unified: 'tool_calls', raw: 'tool_use' } });
  });

  it('streams text and surfaces an in-band stream exception as an error part', async () => {
    const res = await send(adapter.buildRequest({ model: 'x', stream: true, messages: [{ role: 'user', content: 'enough words to need several chunks mock:stream-error' }] }, target));
    const parts = await streamParts(res);
    expect(parts.filter((p) => p.type === 'text-delta')).toHaveLength(2);
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'GW_ERR_UPSTREAM_ERROR', retryable: true } });
  });

  it('maps the mock 429 (x-amzn-errortype + retry-after) through mapError', async () => {
    const res = await send(adapter.buildRequest({ model: 'x', messages: [{ role: 'user', content: 'mock:error:429' }] }, target));
    const mapped = adapter.mapError(res.status, await res.json(), res.headers);
    expect(mapped).toMatchObject({ code: 'GW_ERR_UPSTREAM_RATE_LIMITED', status: 429, retryable: true, retryAfterMs: 2000, providerCode: 'ThrottlingException' });
  });

  it('gets a 403 mapped to GW_ERR_UPSTREAM_AUTH when signed with the wrong secret', async () => {
    const wrong: Target = { ...target, credential: { ...target.credential, secret: 'not-the-secret' } };
    const res = await send(adapter.buildRequest({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }, wrong));
    expect(res.status).toBe(403);
    expect(adapter.mapError(res.status, await res.json(), res.headers).code).toBe('GW_ERR_UPSTREAM_AUTH');
  });
});
