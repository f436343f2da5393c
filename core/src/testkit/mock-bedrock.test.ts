import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  ModelStreamErrorException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
  type Message,
  type Tool,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startMockBedrock } from './mock-bedrock';
import type { MockServer } from './mock-http';

/**
 * Fidelity: the official AWS SDK, pointed at the mock, must parse every answer and raise its
 * own exception classes, exactly as against Bedrock.
 */
const credentials = { accessKeyId: 'AKIDMOCKEXAMPLE', secretAccessKey: 'mock/secret+key' };
const MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const weatherTool: Tool = {
  toolSpec: {
    name: 'get_weather',
    inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
};
const user = (text: string): Message[] => [{ role: 'user', content: [{ text }] }];

let mock: MockServer;
let client: BedrockRuntimeClient;

/** The Bedrock client defaults to HTTP/2 (for bidirectional streams); the mock speaks HTTP/1.1, as Converse allows. */
const clientFor = (url: string, creds: typeof credentials): BedrockRuntimeClient =>
  new BedrockRuntimeClient({ region: 'us-west-2', endpoint: url, credentials: creds, maxAttempts: 1, requestHandler: new NodeHttpHandler() });

beforeAll(async () => {
  mock = await startMockBedrock({ credentials });
  client = clientFor(mock.url, credentials);
});
afterAll(async () => {
  client.destroy();
  await mock.close();
});

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const events: ConverseStreamOutput[] = [];
  for await (const e of stream ?? []) events.push(e);
  return events;
}

describe('mock Bedrock Converse vs the official @aws-sdk/client-bedrock-runtime', () => {
  it('answers ConverseCommand with text, stop reason and usage (and verified the SigV4 signature)', async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL, messages: user('hello there') }));
    expect(out.output?.message?.content?.[0]?.text).toBe('Echo: hello there');
    expect(out.stopReason).toBe('end_turn');
    expect(out.usage?.inputTokens).toBeGreaterThan(0);
    expect(out.usage?.totalTokens).toBe((out.usage?.inputTokens ?? 0) + (out.usage?.outputTokens ?? 0));
    const recorded = mock.requests.at(-1)!;
    expect(recorded.url).toBe(`/model/${encodeURIComponent(MODEL)}/converse`);
    expect(String(recorded.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDMOCKEXAMPLE\/\d{8}\/us-west-2\/bedrock\/aws4_request/);
  });

  it('cuts the answer with max_tokens when maxTokens is small', async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL, messages: user('a fairly long sentence to echo back'), inferenceConfig: { maxTokens: 2 } }));
    expect(out.stopReason).toBe('max_tokens');
    expect(out.output?.message?.content?.[0]?.text).toHaveLength(8);
  });

  it('returns toolUse blocks with an object input when tools are offered', async () => {
    const out = await client.send(new ConverseCommand({ modelId: MODEL, messages: user('weather?'), toolConfig: { tools: [weatherTool] } }));
    expect(out.stopReason).toBe('tool_use');
    const toolUse = out.output?.message?.content?.[0]?.toolUse;
    expect(toolUse).toMatchObject({ toolUseId: 'call_mock_1', name: 'get_weather', input: { city: 'Paris' } });
  });

  it('answers a toolResult turn with text', async () => {
    const messages: Message[] = [
      ...user('weather?'),
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { tempC: 21 } }] } }] },
    ];
    const out = await client.send(new ConverseCommand({ modelId: MODEL, messages, toolConfig: { tools: [weatherTool] } }));
    expect(out.output?.message?.content?.[0]?.text).toBe('Tool result received: {"tempC":21}');
  });

  it('refuses a toolUseId outside [a-zA-Z0-9_-]{1,64} with a ValidationException, as Bedrock does', async () => {
    const turn = (id: string): Message[] => [
      ...user('weather?'),
      { role: 'assistant', content: [{ toolUse: { toolUseId: id, name: 'get_weather', input: { city: 'Paris' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { tempC: 21 } }] } }] },
    ];
    for (const id of ['call.1', 'x'.repeat(65)]) {
      const err = await client.send(new ConverseCommand({ modelId: MODEL, messages: turn(id), toolConfig: { tools: [weatherTool] } })).catch((e: unknown) => e);
      expect((err as Error).name).toBe('ValidationException');
      expect((err as Error).message).toContain('toolUseId');
    }
  });

  it('reads document blocks, and refuses duplicate names, bad names and a sixth document as Bedrock does', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4 mock');
    const withDocs = (names: string[]): Message[] => [
      { role: 'user', content: [...names.map((name) => ({ document: { format: 'pdf' as const, name, source: { bytes: pdf } } })), { text: 'summarise' }] },
    ];
    const ok = await client.send(new ConverseCommand({ modelId: MODEL, messages: withDocs(['report', 'report-2']) }));
    expect(ok.output?.message?.content?.[0]?.text).toBe('Echo: summarise');
    for (const [names, message] of [
      [['report', 'Report'], 'duplicate document names'],
      [['report.pdf'], 'document file name can only contain'],
      [['a  b'], 'more than one consecutive whitespace'],
      [['a', 'b', 'c', 'd', 'e', 'f'], 'more than 5 documents'],
    ] as const) {
      const err = await client.send(new ConverseCommand({ modelId: MODEL, messages: withDocs([...names]) })).catch((e: unknown) => e);
      expect((err as Error).name).toBe('ValidationException');
      expect((err as Error).message).toContain(message);
    }
  });

  it('honours native structured output (outputConfig.textFormat json_schema) as the SDK sends it', async () => {
    const schema = JSON.stringify({ type: 'object', properties: { n: { type: 'integer' } } });
    const out = await client.send(
      new ConverseCommand({
        modelId: MODEL,
        messages: user('give json'),
        outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { schema, name: 'nums' } } } },
      }),
    );
    expect(JSON.parse(out.output?.message?.content?.[0]?.text ?? '')).toEqual({ n: 42 });
  });

  it('does not pretend to follow a "JSON only" system instruction (a mock has no model behind it)', async () => {
    const system = [{ text: 'Respond with only a single valid JSON object.' }];
    const out = await client.send(new ConverseCommand({ modelId: MODEL, system, messages: user('give json') }));
    expect(out.output?.message?.content?.[0]?.text).toBe('Echo: give json');
  });

  it('streams ConverseStreamCommand text in order, then messageStop and metadata usage', async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: user('stream this please mock:chunks:4') }));
    const events = await collect(out.stream);
    expect(Object.keys(events[0]!)).toEqual(['messageStart']);
    const text = events.map((e) => e.contentBlockDelta?.delta?.text ?? '').join('');
    expect(text).toBe('Echo: stream this please mock:chunks:4');
    expect(events.filter((e) => e.contentBlockDelta).length).toBe(4);
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('end_turn');
    const usage = events.at(-1)?.metadata?.usage;
    expect(usage?.outputTokens).toBeGreaterThan(0);
    expect(mock.requests.at(-1)!.url).toBe(`/model/${encodeURIComponent(MODEL)}/converse-stream`);
  });

  it('streams tool use: contentBlockStart, input deltas that join to JSON, tool_use stop', async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: user('weather? mock:parallel'), toolConfig: { tools: [weatherTool] } }));
    const events = await collect(out.stream);
    const starts = events.filter((e) => e.contentBlockStart).map((e) => e.contentBlockStart!);
    expect(starts.map((s) => [s.contentBlockIndex, s.start?.toolUse?.toolUseId])).toEqual([[0, 'call_mock_1'], [1, 'call_mock_2']]);
    const inputFor = (i: number): string =>
      events.filter((e) => e.contentBlockDelta?.contentBlockIndex === i).map((e) => e.contentBlockDelta?.delta?.toolUse?.input ?? '').join('');
    expect(JSON.parse(inputFor(0))).toEqual({ city: 'Paris' });
    expect(JSON.parse(inputFor(1))).toEqual({ city: 'Paris' });
    expect(events.find((e) => e.messageStop)?.messageStop?.stopReason).toBe('tool_use');
  });

  it('raises ModelStreamErrorException in-band after two deltas on mock:stream-error', async () => {
    const out = await client.send(new ConverseStreamCommand({ modelId: MODEL, messages: user('a long enough text to need many chunks mock:stream-error') }));
    const seen: ConverseStreamOutput[] = [];
    let caught: unknown;
    try {
      for await (const e of out.stream ?? []) seen.push(e);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ModelStreamErrorException);
    expect(seen.filter((e) => e.contentBlockDelta)).toHaveLength(2);
  });

  it.each([
    [400, ValidationException],
    [403, AccessDeniedException],
    [404, ResourceNotFoundException],
    [429, ThrottlingException],
    [503, ServiceUnavailableException],
  ])('maps mock:error:%i to the SDK exception class', async (status, ErrorClass) => {
    const attempt = client.send(new ConverseCommand({ modelId: MODEL, messages: user(`fail mock:error:${status}`) }));
    await expect(attempt).rejects.toBeInstanceOf(ErrorClass);
    await expect(client.send(new ConverseCommand({ modelId: MODEL, messages: user(`fail mock:error:${status}`) }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: status },
      message: `Mock upstream error ${status}`,
    });
  });

  it('rejects a wrong secret with InvalidSignatureException and an unknown key id with UnrecognizedClientException', async () => {
    const wrongSecret = clientFor(mock.url, { ...credentials, secretAccessKey: 'nope' });
    const wrongKey = clientFor(mock.url, { ...credentials, accessKeyId: 'AKIDOTHER' });
    try {
      await expect(wrongSecret.send(new ConverseCommand({ modelId: MODEL, messages: user('hi') }))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
      await expect(wrongKey.send(new ConverseCommand({ modelId: MODEL, messages: user('hi') }))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
    } finally {
      wrongSecret.destroy();
      wrongKey.destroy();
    }
  });
});

/** Header-shape-valid SigV4 (not a real signature): enough for a mock started without credentials. */
const signedLooking = (): Record<string, string> => ({
  'content-type': 'application/json',
  'x-amz-date': '20250101T000000Z',
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDX/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
});

describe('mock Bedrock without configured credentials', () => {
  let open: MockServer;
  beforeAll(async () => {
    open = await startMockBedrock();
  });
  afterAll(() => open.close());

  it('accepts any well-formed SigV4 header', async () => {
    const res = await fetch(`${open.url}/model/m/converse`, { method: 'POST', headers: signedLooking(), body: JSON.stringify({ messages: user('hi') }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { output: { message: { content: { text: string }[] } } }).output.message.content[0]!.text).toBe('Echo: hi');
  });

  it('sends retry-after: 2 and a namespaced x-amzn-errortype with a 429', async () => {
    const res = await fetch(`${open.url}/model/m/converse`, { method: 'POST', headers: signedLooking(), body: JSON.stringify({ messages: user('mock:error:429') }) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException:/);
  });

  it('answers 403 UnrecognizedClientException when Authorization is missing or not SigV4', async () => {
    const unsigned: Record<string, string>[] = [{ 'content-type': 'application/json' }, { ...signedLooking(), authorization: 'Bearer abc' }];
    for (const headers of unsigned) {
      const res = await fetch(`${open.url}/model/m/converse`, { method: 'POST', headers, body: JSON.stringify({ messages: user('hi') }) });
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toMatch(/^UnrecognizedClientException:/);
      expect(await res.json()).toEqual({ message: 'The security token included in the request is invalid.' });
    }
  });

  it('answers 400 ValidationException for a body that is not JSON or has no messages', async () => {
    for (const body of ['{not json', JSON.stringify({ messages: [] })]) {
      const res = await fetch(`${open.url}/model/m/converse`, { method: 'POST', headers: signedLooking(), body });
      expect(res.status).toBe(400);
      expect(res.headers.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
    }
  });

  it('answers 404 for unknown routes and methods', async () => {
    expect((await fetch(`${open.url}/model/m/invoke-with-something`, { method: 'POST', headers: signedLooking(), body: '{}' })).status).toBe(404);
    expect((await fetch(`${open.url}/model/m/converse`, { headers: signedLooking() })).status).toBe(404);
  });

  it('sends an HTML 502 on mock:html-error and non-JSON on mock:garbage', async () => {
    const html = await fetch(`${open.url}/model/m/converse`, { method: 'POST', headers: signedLooking(), body: JSON.stringify({ messages: user('mock:html-error') }) });
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    const garbage = await fetch(`${open.url}/model/m/converse`, { method: 'POST', headers: signedLooking(), body: JSON.stringify({ messages: user('mock:garbage') }) });
    expect(garbage.status).toBe(200);
    await expect(garbage.clone().json()).rejects.toThrow();
  });
});
