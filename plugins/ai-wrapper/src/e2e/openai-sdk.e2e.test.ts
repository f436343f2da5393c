import OpenAI from 'openai';
import { createOpenAISchemaValidator } from '@portcullis/core/testkit';
import { PROVIDER_ALIASES, startE2eWorld, TOKEN, type E2eWorld } from './fixture';

/**
 * The headline promise: an app keeps the official OpenAI SDK, changes baseURL and apiKey, and
 * reaches every provider. Every JSON body and SSE chunk is checked against OpenAI's own schema.
 */
let world: E2eWorld;
let client: OpenAI;
const { validateOpenAI } = createOpenAISchemaValidator();

beforeAll(async () => {
  world = await startE2eWorld();
  client = new OpenAI({ baseURL: world.baseURL, apiKey: TOKEN, maxRetries: 0 });
});
afterAll(() => world.close());

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe.each(PROVIDER_ALIASES)('through $provider ($alias)', ({ alias, provider, model }) => {
  it('answers a chat completion that matches OpenAI’s schema, with routing headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: alias, messages: [{ role: 'user', content: 'Hello there' }] })
      .withResponse();
    expect(validateOpenAI('CreateChatCompletionResponse', data)).toEqual([]);
    expect(data.choices[0]!.message.content).toBe('Echo: Hello there');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-portcullis-provider')).toBe(provider);
    expect(response.headers.get('x-portcullis-model')).toBe(model);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('streams chunks that each match the stream schema, with one usage chunk last', async () => {
    const stream = await client.chat.completions.create({
      model: alias,
      messages: [{ role: 'user', content: 'Stream this please mock:chunks:5' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Echo: Stream this please mock:chunks:5');
    const withUsage = chunks.filter((c) => c.usage);
    expect(withUsage).toHaveLength(1);
    expect(chunks[chunks.length - 1]!.usage!.completion_tokens).toBeGreaterThan(0);
    expect(chunks[chunks.length - 1]!.choices).toEqual([]);
    expect(chunks.some((c) => c.choices[0]?.finish_reason === 'stop')).toBe(true);
  });

  it('sends no usage chunk when the client did not ask for one', async () => {
    const stream = await client.chat.completions.create({ model: alias, messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((c) => c.usage == null && c.choices.length === 1)).toBe(true);
  });

  it('completes a tool round trip', async () => {
    const first = await client.chat.completions.create({
      model: alias,
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [weatherTool],
    });
    expect(validateOpenAI('CreateChatCompletionResponse', first)).toEqual([]);
    const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    const second = await client.chat.completions.create({
      model: alias,
      messages: [
        { role: 'user', content: 'What is the weather in Paris?' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call.id, content: '{"temp_c":21}' },
      ],
      tools: [weatherTool],
    });
    expect(second.choices[0]!.message.content).toContain('Tool result received');
    expect(second.choices[0]!.message.content).toContain('21');
  });

  it('streams tool calls that the SDK reassembles', async () => {
    const runner = client.chat.completions.stream({
      model: alias,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [weatherTool],
    });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('answers structured output (json_schema) with JSON that fits the schema', async () => {
    const res = await client.chat.completions.create({
      model: alias,
      messages: [{ role: 'user', content: 'Where do I live? I live in Paris.' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'place', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      },
    });
    expect(JSON.parse(res.choices[0]!.message.content!)).toEqual({ city: 'Paris' });
  });

  it('answers json_object mode natively, or says it was emulated', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: alias, messages: [{ role: 'user', content: 'Give me JSON' }], response_format: { type: 'json_object' } })
      .withResponse();
    if (provider === 'openai' || provider === 'gemini') expect(JSON.parse(data.choices[0]!.message.content!)).toEqual({ answer: 'ok' });
    else expect(response.headers.get('x-portcullis-warnings')).toContain('response_format');
  });

  it('maps an upstream 429 to a RateLimitError with Retry-After', async () => {
    const err = await client.chat.completions.create({ model: alias, messages: [{ role: 'user', content: 'mock:error:429' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.headers?.get('retry-after')).toBe('2');
    expect(validateOpenAI('ErrorResponse', e.error === undefined ? null : { error: e.error })).toEqual([]);
  });

  it('maps an upstream 500 after retrying to a 502 in the envelope', async () => {
    const err = await client.chat.completions.create({ model: alias, messages: [{ role: 'user', content: 'mock:error:500' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });

  it('stops at the length limit with finish_reason length', async () => {
    const res = await client.chat.completions.create({ model: alias, messages: [{ role: 'user', content: 'cut me mock:length' }] });
    expect(res.choices[0]!.finish_reason).toBe('length');
  });
});

/** A 1x1 PNG as a data URL: every provider adapter must carry it in its own wire format. */
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const PIXEL_B64 = PIXEL.slice(PIXEL.indexOf(',') + 1);

describe('Gemini 3 tool calls across turns (thought signatures)', () => {
  const GEMINI_3 = 'gemini:gemini-3-pro-preview';
  const question = { role: 'user' as const, content: 'What is the weather in Paris?' };
  const toolAnswer = (id: string) => ({ role: 'tool' as const, tool_call_id: id, content: '{"temp_c":21}' });

  it('keeps working on the second turn: the client echoes the assistant message as OpenAI clients do', async () => {
    const first = await client.chat.completions.create({ model: GEMINI_3, messages: [question], tools: [weatherTool] });
    const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    expect(validateOpenAI('CreateChatCompletionResponse', first)).toEqual([]);
    const second = await client.chat.completions.create({ model: GEMINI_3, messages: [question, first.choices[0]!.message, toolAnswer(call.id)], tools: [weatherTool] });
    expect(second.choices[0]!.message.content).toContain('Tool result received');
    // What reached Google: the call replayed with a genuine signature (the mock refuses any it did
    // not issue), not the skip value meant for histories without one.
    const sent = JSON.parse(world.mocks.gemini.requests[world.mocks.gemini.requests.length - 1]!.body) as { contents: { role: string; parts: Record<string, unknown>[] }[] };
    const replayed = sent.contents.find((c) => c.role === 'model')!.parts[0]!;
    expect(replayed.thoughtSignature).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(replayed.thoughtSignature).not.toBe('skip_thought_signature_validator');
  });

  it('keeps working after a streamed first turn', async () => {
    const final = await client.chat.completions.stream({ model: GEMINI_3, messages: [question], tools: [weatherTool] }).finalChatCompletion();
    const call = final.choices[0]!.message.tool_calls![0]!;
    const second = await client.chat.completions.create({ model: GEMINI_3, messages: [question, final.choices[0]!.message, toolAnswer(call.id)], tools: [weatherTool] });
    expect(second.choices[0]!.message.content).toContain('Tool result received');
  });

  it('continues on Gemini 3 a conversation whose tool call Anthropic made, and the other way round', async () => {
    const byClaude = await client.chat.completions.create({ model: 'claude', messages: [question], tools: [weatherTool] });
    const claudeCall = byClaude.choices[0]!.message.tool_calls![0]!;
    const onGemini = await client.chat.completions.create({ model: GEMINI_3, messages: [question, byClaude.choices[0]!.message, toolAnswer(claudeCall.id)], tools: [weatherTool] });
    expect(onGemini.choices[0]!.message.content).toContain('Tool result received');

    const byGemini = await client.chat.completions.create({ model: GEMINI_3, messages: [question], tools: [weatherTool] });
    const geminiCall = byGemini.choices[0]!.message.tool_calls![0]!;
    // The signature-carrying id fits Anthropic's tool id pattern, which its API enforces.
    const onClaude = await client.chat.completions.create({ model: 'claude', messages: [question, byGemini.choices[0]!.message, toolAnswer(geminiCall.id)], tools: [weatherTool] });
    expect(onClaude.choices[0]!.message.content).toContain('Tool result received');
    // Bedrock also caps ids at 64 characters, which a signature-carrying id exceeds: the adapter
    // sends a short digest of it instead, the same for the call and its result.
    expect(geminiCall.id.length).toBeGreaterThan(64);
    const onBedrock = await client.chat.completions.create({ model: 'bed', messages: [question, byGemini.choices[0]!.message, toolAnswer(geminiCall.id)], tools: [weatherTool] });
    expect(onBedrock.choices[0]!.message.content).toContain('Tool result received');
  });
});

describe('images, n and logprobs (the cells that differ by provider)', () => {
  const lastBody = (provider: keyof E2eWorld['mocks']): string => world.mocks[provider].requests[world.mocks[provider].requests.length - 1]!.body;

  it.each(PROVIDER_ALIASES)('sends an image through $provider in its own wire format', async ({ alias, provider }) => {
    const res = await client.chat.completions.create({
      model: alias,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: PIXEL } }] }],
    });
    expect(res.choices[0]!.message.content).toBe('Echo: What is this?');
    const sent = lastBody(provider);
    if (provider === 'openai') expect(sent).toContain(PIXEL);
    else if (provider === 'anthropic') expect(JSON.parse(sent).messages[0].content).toContainEqual({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PIXEL_B64 } });
    else if (provider === 'gemini') expect(JSON.parse(sent).contents[0].parts).toContainEqual({ inlineData: { mimeType: 'image/png', data: PIXEL_B64 } });
    else expect(JSON.parse(sent).messages[0].content).toContainEqual({ image: { format: 'png', source: { bytes: PIXEL_B64 } } });
  });

  it.each(PROVIDER_ALIASES)('sends a PDF file part through $provider in its own wire format', async ({ alias, provider }) => {
    const PDF_B64 = Buffer.from('%PDF-1.4 mock document').toString('base64');
    const res = await client.chat.completions.create({
      model: alias,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF_B64}`, filename: 'Q3 report.pdf' } },
            { type: 'text', text: 'Summarise the attachment' },
          ],
        },
      ],
    });
    expect(res.choices[0]!.message.content).toBe('Echo: Summarise the attachment');
    const sent = JSON.parse(lastBody(provider));
    if (provider === 'openai') expect(sent.messages[0].content[0]).toEqual({ type: 'file', file: { file_data: `data:application/pdf;base64,${PDF_B64}`, filename: 'Q3 report.pdf' } });
    else if (provider === 'anthropic') expect(sent.messages[0].content[0]).toEqual({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF_B64 }, title: 'Q3 report.pdf' });
    else if (provider === 'gemini') expect(sent.contents[0].parts[0]).toEqual({ inlineData: { mimeType: 'application/pdf', data: PDF_B64 } });
    else expect(sent.messages[0].content[0]).toEqual({ document: { format: 'pdf', name: 'Q3 report', source: { bytes: PDF_B64 } } });
  });

  it.each(['gpt', 'gem'])('returns n=2 choices through %s', async (alias) => {
    const res = await client.chat.completions.create({ model: alias, n: 2, messages: [{ role: 'user', content: 'two please' }] });
    expect(validateOpenAI('CreateChatCompletionResponse', res)).toEqual([]);
    expect(res.choices.map((c) => c.index)).toEqual([0, 1]);
  });

  it.each(['claude', 'bed'])('refuses n=2 through %s with a clear 400 naming the parameter', async (alias) => {
    const err = await client.chat.completions.create({ model: alias, n: 2, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('n');
  });

  it('passes logprobs through from OpenAI', async () => {
    const res = await client.chat.completions.create({ model: 'gpt', logprobs: true, top_logprobs: 2, messages: [{ role: 'user', content: 'hi' }] });
    expect(validateOpenAI('CreateChatCompletionResponse', res)).toEqual([]);
    expect(res.choices[0]!.logprobs!.content!.length).toBeGreaterThan(0);
  });

  it.each(['claude', 'bed'])('says when logprobs cannot be honoured (%s)', async (alias) => {
    const { response } = await client.chat.completions.create({ model: alias, logprobs: true, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-portcullis-warnings')).toContain('logprobs');
  });
});

describe('models and embeddings', () => {
  it('lists aliases and enabled providers', async () => {
    const page = await client.models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt', 'claude', 'gem', 'bed', 'fast', 'openai:*', 'anthropic:*', 'gemini:*', 'bedrock:*']));
    expect(ids).not.toContain('groq:*'); // disabled binding
    expect(page.data.every((m) => m.owned_by === 'portcullis')).toBe(true);
    const raw = await fetch(`${world.baseURL}/models`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.json());
    expect(validateOpenAI('ListModelsResponse', raw)).toEqual([]);
    expect((raw as { data: { id: string; is_alias: boolean }[] }).data.find((m) => m.id === 'gpt')!.is_alias).toBe(true);
  });

  it('retrieves one model, and 404s an unknown one', async () => {
    expect((await client.models.retrieve('fast')).id).toBe('fast');
    expect((await client.models.retrieve('anthropic:claude-sonnet-4-5')).id).toBe('anthropic:claude-sonnet-4-5');
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it.each(['gpt', 'gem'])('embeds through %s as floats and as base64', async (model) => {
    const floats = await client.embeddings.create({ model, input: ['alpha', 'beta'], encoding_format: 'float' });
    expect(validateOpenAI('CreateEmbeddingResponse', floats)).toEqual([]);
    expect(floats.data).toHaveLength(2);
    const b64 = await client.embeddings.create({ model, input: ['alpha', 'beta'] }); // the SDK asks for base64 and decodes it
    expect(b64.data[0]!.embedding).toHaveLength(floats.data[0]!.embedding.length);
    b64.data[0]!.embedding.forEach((v, i) => expect(v).toBeCloseTo(floats.data[0]!.embedding[i]!, 5));
  });

  it('refuses embeddings through a provider without them', async () => {
    const err = await client.embeddings.create({ model: 'claude', input: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('routing', () => {
  it('accepts provider:model, provider/model and portcullis:alias', async () => {
    for (const model of ['openai:gpt-4o', 'openai/gpt-4o', 'portcullis:fast', 'alias:gpt']) {
      const { data, response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).withResponse();
      expect(response.headers.get('x-portcullis-provider')).toBe('openai');
      expect(data.model).toBe(model.endsWith('gpt-4o') ? 'gpt-4o' : 'gpt-4o-mini');
    }
  });

  it('applies alias presets that the client can override', async () => {
    await client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'preset check' }] });
    const sent = JSON.parse(world.mocks.openai.requests[world.mocks.openai.requests.length - 1]!.body) as { messages: { role: string; content: string }[]; temperature: number };
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'You are terse.' });
    expect(sent.temperature).toBe(0.2);
    await client.chat.completions.create({ model: 'fast', temperature: 0.9, messages: [{ role: 'system', content: 'mine' }, { role: 'user', content: 'x' }] });
    const sent2 = JSON.parse(world.mocks.openai.requests[world.mocks.openai.requests.length - 1]!.body) as { messages: { role: string; content: string }[]; temperature: number };
    expect(sent2.temperature).toBe(0.9);
    expect(sent2.messages.filter((m) => m.role === 'system')).toEqual([{ role: 'system', content: 'mine' }]);
  });

  it('falls back to the next target when the primary fails', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'resilient', messages: [{ role: 'user', content: 'mock:error:503 please' }] })
      .withResponse()
      .catch((e: unknown) => ({ data: null, response: null, e }));
    // The mock fails on the magic word everywhere, so the fallback fails too: the last error is reported.
    expect(data).toBeNull();
    expect(response).toBeNull();
    const ok = await client.chat.completions.create({ model: 'resilient', messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    expect(ok.response.headers.get('x-portcullis-provider')).toBe('anthropic');
  });
});
