import OpenAI from 'openai';
import { createOpenAISchemaValidator } from '@portcullis/core/testkit';
import { SUMMARIZE_ONLY_TOKEN, TOKEN, startWorld, type World } from './fixture';

/** POST /api/:project/chat/completions with the official OpenAI SDK: model = endpoint slug. */
let world: World;
let client: OpenAI;
const { validateOpenAI } = createOpenAISchemaValidator();

beforeAll(async () => {
  world = await startWorld();
  client = new OpenAI({ baseURL: world.baseURL, apiKey: TOKEN, maxRetries: 0 });
});
afterAll(() => world.close());

const lastUpstreamBody = () => JSON.parse(world.openai.requests[world.openai.requests.length - 1]!.body) as Record<string, unknown>;

describe('the OpenAI-shape route', () => {
  it('answers a chat completion through an endpoint, template and system prompt applied', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'summarize', messages: [{ role: 'user', content: 'the quarter' }], variables: { audience: 'board' } } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(validateOpenAI('CreateChatCompletionResponse', data)).toEqual([]);
    expect(data.choices[0]!.message.content).toBe('Echo: Summarize for board: the quarter');
    expect(response.headers.get('x-portcullis-endpoint')).toBe('summarize@1');
    const upstream = lastUpstreamBody();
    expect(upstream['messages']).toEqual([
      { role: 'system', content: 'You are a <careful> summarizer & editor.' },
      { role: 'user', content: 'Summarize for board: the quarter' },
    ]);
    expect(upstream).not.toHaveProperty('variables');
    expect(upstream['temperature']).toBe(0.2);
  });

  it('lets the client’s own parameters win over endpoint presets', async () => {
    await client.chat.completions.create({ model: 'summarize', messages: [{ role: 'user', content: 'x' }], temperature: 1.1, variables: { audience: 'all' } } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
    expect(lastUpstreamBody()['temperature']).toBe(1.1);
  });

  it('streams chunks that match OpenAI’s stream schema', async () => {
    const stream = await client.chat.completions.create({ model: 'extract', messages: [{ role: 'user', content: 'rate' }], stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    for (const chunk of chunks) expect(validateOpenAI('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(JSON.parse(text)).toEqual({ title: 'title-value', score: 42 });
    expect(chunks[chunks.length - 1]!.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('validates structured output and repairs it like the slug route', async () => {
    const data = await client.chat.completions.create({ model: 'repaired', messages: [{ role: 'user', content: 'rate' }] });
    expect(JSON.parse(data.choices[0]!.message.content!)).toEqual({ title: 'title-value', score: 42 });
  });

  it('answers 404 endpoint_not_found for an unknown model (slug)', async () => {
    const err = await client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('endpoint_not_found');
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).param).toBe('model');
  });

  it('honours the token’s endpoint allowlist although the slug comes in the body', async () => {
    const limited = new OpenAI({ baseURL: world.baseURL, apiKey: SUMMARIZE_ONLY_TOKEN, maxRetries: 0 });
    const err = await limited.chat.completions.create({ model: 'extract', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((err as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('endpoint_not_allowed');
  });

  it('needs a user message to render the template into', async () => {
    const err = await client.chat.completions.create({ model: 'extract', messages: [{ role: 'system', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages');
  });

  it('answers 422 naming the variable the input schema needs', async () => {
    const err = await client.chat.completions.create({ model: 'summarize', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect((err as InstanceType<typeof OpenAI.UnprocessableEntityError>).param).toBe('variables.audience');
  });
});
