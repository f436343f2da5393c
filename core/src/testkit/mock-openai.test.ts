import OpenAI from 'openai';
import { startMockOpenAI, type MockOpenAIServer } from './mock-openai';
import { createOpenAISchemaValidator } from './openai-schema';

/**
 * Fidelity of the OpenAI mock, judged twice: by the official `openai` SDK (which parses,
 * reassembles streams and raises typed errors exactly as it would against OpenAI) and by
 * OpenAI's published OpenAPI schemas for every JSON body and every SSE chunk.
 */
const { validateOpenAI } = createOpenAISchemaValidator();
const KEY = 'sk-mock-test-key-0123456789';

let mock: MockOpenAIServer;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI();
  client = new OpenAI({ apiKey: KEY, baseURL: mock.baseURL, maxRetries: 0 });
});
afterAll(async () => {
  await mock.close();
});

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

/** Raw POST, for checking bytes the SDK would hide. */
async function post(path: string, body: unknown, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }): Promise<Response> {
  return fetch(`${mock.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** The `data:` payloads of an SSE body, in order. */
async function sseData(res: Response): Promise<string[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
}

describe('mock OpenAI, through the official SDK', () => {
  it('answers a chat completion', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }] });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]?.message.content).toBe('Echo: hello there');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
  });

  it('returns n choices', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', n: 3, messages: [{ role: 'user', content: 'pick' }] });
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1, 2]);
  });

  it('streams text with a trailing usage chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me mock:chunks:4' }] });
    let text = '';
    let usageChunks = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        text += choice.delta.content ?? '';
        finish = choice.finish_reason ?? finish;
      }
      if (chunk.usage) {
        usageChunks += 1;
        expect(chunk.choices).toEqual([]);
      }
    }
    expect(text).toBe('Echo: stream me mock:chunks:4');
    expect(finish).toBe('stop');
    expect(usageChunks).toBe(1);
  });

  it('sends no usage chunk when the client did not ask', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    for await (const chunk of stream) expect(chunk.usage ?? null).toBeNull();
  });

  it('returns tool calls (JSON) and streams them so the SDK helper reassembles them', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o', tools: [weatherTool], messages: [{ role: 'user', content: 'weather? mock:parallel' }] });
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(calls).toHaveLength(2);
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');

    const runner = client.chat.completions.stream({ model: 'gpt-4o', tools: [weatherTool], messages: [{ role: 'user', content: 'weather? mock:parallel' }] });
    const final = await runner.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls ?? [];
    expect(streamed.map((c) => (c.type === 'function' ? [c.id, c.function.name, JSON.parse(c.function.arguments)] : []))).toEqual([
      ['call_mock_1', 'get_weather', { city: 'Paris' }],
      ['call_mock_2', 'get_weather', { city: 'Paris' }],
    ]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('answers JSON mode and json_schema with parseable JSON', async () => {
    const jsonMode = await client.chat.completions.create({ model: 'gpt-4o-mini', response_format: { type: 'json_object' }, messages: [{ role: 'user', content: 'json please' }] });
    expect(JSON.parse(jsonMode.choices[0]?.message.content ?? '')).toEqual({ answer: 'ok' });
    const schema = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      response_format: { type: 'json_schema', json_schema: { name: 'c', schema: { type: 'object', properties: { city: { type: 'string' }, n: { type: 'integer' } } } } },
      messages: [{ role: 'user', content: 'json please' }],
    });
    expect(JSON.parse(schema.choices[0]?.message.content ?? '')).toEqual({ city: 'Paris', n: 42 });
  });

  it('returns logprobs when asked', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', logprobs: true, top_logprobs: 2, messages: [{ role: 'user', content: 'hi mock:chunks:3' }] });
    const content = completion.choices[0]?.logprobs?.content ?? [];
    expect(content.map((t) => t.token).join('')).toBe(completion.choices[0]?.message.content);
    expect(content[0]?.top_logprobs).toHaveLength(2);
  });

  it('serves embeddings as floats and as base64 that the SDK decodes to the same floats', async () => {
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta'], encoding_format: 'float' });
    // Without encoding_format the SDK asks for base64 and decodes it itself.
    const decoded = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta'] });
    expect(mock.requests.at(-1)?.body).toContain('"encoding_format":"base64"');
    expect(floats.data.map((d) => d.embedding)).toEqual(decoded.data.map((d) => d.embedding));
    expect(floats.data[0]?.embedding).toHaveLength(8);
    expect(floats.data[0]?.embedding).not.toEqual(floats.data[1]?.embedding);
    const wide = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha', dimensions: 32, encoding_format: 'float' });
    expect(wide.data[0]?.embedding).toHaveLength(32);
    expect(wide.data[0]?.embedding.slice(0, 8)).toEqual(floats.data[0]?.embedding);
  });

  it('lists models', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('gpt-4o-mini');
    expect((await client.models.retrieve('gpt-4o')).id).toBe('gpt-4o');
  });

  it('raises RateLimitError with status 429 and retry-after', async () => {
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'mock:error:429' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const rate = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rate.status).toBe(429);
    expect(rate.headers?.get('retry-after')).toBe('2');
    expect(rate.code).toBe('rate_limit_exceeded');
  });

  it.each([
    [400, OpenAI.BadRequestError],
    [404, OpenAI.NotFoundError],
    [500, OpenAI.InternalServerError],
    [503, OpenAI.InternalServerError],
  ])('raises the SDK error class for mock:error:%i', async (status, ErrorClass) => {
    const err = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `mock:error:${status}` }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ErrorClass);
    expect((err as { status: number }).status).toBe(status);
  });

  it('raises AuthenticationError without a key, and for a wrong key when one is required', async () => {
    const res = await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, {});
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });

    const strict = await startMockOpenAI({ apiKey: 'sk-the-right-one-000000' });
    try {
      const wrong = new OpenAI({ apiKey: 'sk-the-wrong-one-111111', baseURL: strict.baseURL, maxRetries: 0 });
      const err = await wrong.models.list().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((err as { status: number }).status).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it('surfaces an in-band stream error as an SDK APIError', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'mock:stream-error mock:chunks:5' }] });
    const consume = async (): Promise<void> => {
      for await (const _chunk of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('accepts the Azure path shape with api-key and api-version', async () => {
    const azure = new OpenAI({ apiKey: 'unused', baseURL: `${mock.url}/openai/deployments/prod-4o`, defaultQuery: { 'api-version': '2024-10-21' }, defaultHeaders: { 'api-key': 'azure-key' }, maxRetries: 0 });
    const completion = await azure.chat.completions.create({ model: 'ignored', messages: [{ role: 'user', content: 'azure hi' }] });
    expect(completion.model).toBe('prod-4o');
    expect(completion.choices[0]?.message.content).toBe('Echo: azure hi');

    const noVersion = await post('/openai/deployments/prod-4o/chat/completions', { messages: [{ role: 'user', content: 'x' }] }, { 'api-key': 'k' });
    expect(noVersion.status).toBe(404);
    const noKey = await post('/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21', { messages: [{ role: 'user', content: 'x' }] }, {});
    expect(noKey.status).toBe(401);
  });
});

describe('mock OpenAI, against OpenAI\'s OpenAPI schemas', () => {
  const chatRequests: [string, Record<string, unknown>][] = [
    ['text', { messages: [{ role: 'user', content: 'hello' }] }],
    ['n=2 with logprobs', { n: 2, logprobs: true, top_logprobs: 1, messages: [{ role: 'user', content: 'hello' }] }],
    ['tool calls', { tools: [weatherTool], messages: [{ role: 'user', content: 'weather mock:parallel' }] }],
    ['length', { messages: [{ role: 'user', content: 'cut mock:length' }] }],
    ['json_schema', { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { a: { type: 'boolean' } } } } }, messages: [{ role: 'user', content: 'j' }] }],
  ];

  it.each(chatRequests)('chat JSON (%s) is a valid CreateChatCompletionResponse', async (_label, extra) => {
    const res = await post('/v1/chat/completions', { model: 'gpt-4o-mini', ...extra });
    expect(res.status).toBe(200);
    expect(validateOpenAI('CreateChatCompletionResponse', await res.json())).toEqual([]);
  });

  it.each(chatRequests)('every SSE chunk (%s) is a valid CreateChatCompletionStreamResponse, ending in [DONE]', async (_label, extra) => {
    const res = await post('/v1/chat/completions', { model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, ...extra });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const data = await sseData(res);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { choices: unknown[]; usage?: unknown });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: expect.objectContaining({ total_tokens: expect.any(Number) }) });
  });

  it('embeddings (float and base64) are valid CreateEmbeddingResponse', async () => {
    for (const encoding_format of ['float', 'base64']) {
      const res = await post('/v1/embeddings', { model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format });
      const body = (await res.json()) as { data: { embedding: unknown }[] };
      // The published schema types `embedding` as floats only; base64 is checked for shape.
      if (encoding_format === 'float') expect(validateOpenAI('CreateEmbeddingResponse', body)).toEqual([]);
      else expect(typeof body.data[0]?.embedding).toBe('string');
    }
  });

  it('models list is a valid ListModelsResponse', async () => {
    const res = await fetch(`${mock.baseURL}/models`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(validateOpenAI('ListModelsResponse', await res.json())).toEqual([]);
  });

  it.each([400, 401, 403, 404, 429, 500, 503])('error %i is a valid ErrorResponse with the right status', async (status) => {
    const res = await post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `mock:error:${status}` }] });
    expect(res.status).toBe(status);
    expect(validateOpenAI('ErrorResponse', await res.json())).toEqual([]);
    if (status === 429) expect(res.headers.get('retry-after')).toBe('2');
  });

  it('rejects bad requests in OpenAI\'s envelope', async () => {
    const cases: [unknown, number][] = [
      [{ messages: [{ role: 'user', content: 'x' }] }, 400], // no model
      [{ model: 'm', messages: [] }, 400],
      [{ model: 'm', n: 0, messages: [{ role: 'user', content: 'x' }] }, 400],
      [{ model: 'm', stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'x' }] }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await post('/v1/chat/completions', body);
      expect(res.status).toBe(status);
      expect(validateOpenAI('ErrorResponse', await res.json())).toEqual([]);
    }
    const notJson = await fetch(`${mock.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${KEY}` }, body: '{nope' });
    expect(notJson.status).toBe(400);
    const badEmbeddings = await post('/v1/embeddings', { model: 'e', input: [], dimensions: 0 });
    expect(badEmbeddings.status).toBe(400);
    const unknown = await post('/v1/nothing-here', {});
    expect(unknown.status).toBe(404);
  });

  it('serves the HTML and garbage scenarios as a broken upstream would', async () => {
    const html = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'mock:html-error' }] });
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    const garbage = await post('/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'mock:garbage' }] });
    expect(garbage.status).toBe(200);
    await expect(garbage.json()).rejects.toThrow();
  });
});
