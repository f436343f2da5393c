import OpenAI from 'openai';
import type { GatewayPlugin } from '@portcullis/core';
import { startTestGateway, type MockServer, type TestGateway } from '@portcullis/core/testkit';
import { createPlugin as createAiWrapperPlugin } from '@portcullis/plugin-ai-wrapper';
import { createPlugin as createAuthPlugin } from '@portcullis/plugin-auth';
import { adapters } from './index';
import { startMockAcme } from './mock-acme';

/** The adapter inside a real gateway, against its own mock, spoken to by the official OpenAI SDK. */
const PROJECT_ID = '2c4e6a8b-0d1f-4a3c-8e5b-7d9f1a2b3c4d';
const TOKEN = 'pc_live_AcmeTemplateTokenAbcdefghijklmn';
const ACME_KEY = 'acme-e2e-secret-0123456789';

let mock: MockServer;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockAcme({ apiKey: ACME_KEY });
  gateway = await startTestGateway({
    yaml: `
credentials:
  - { name: acme-main, provider: acme, secret: "\${ACME_API_KEY}", baseUrl: "${mock.url}/v2" }
projects:
  - id: ${PROJECT_ID}
    name: Acme users
    type: ai_wrapper
    providers: [ { provider: acme, credential: acme-main } ]
    aliases: [ { name: smart, target: "acme:acme-large-2" } ]
    tokens: [ { name: app, scopes: [chat, models], value: "${TOKEN}" } ]
`,
    env: { ACME_API_KEY: ACME_KEY },
    plugins: [{ plugin: createAuthPlugin() as GatewayPlugin<never> }, { plugin: createAiWrapperPlugin() as GatewayPlugin<never> }],
    adapters,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/api/${PROJECT_ID}/v1`, apiKey: TOKEN, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await mock.close();
});

describe('the Acme adapter behind a gateway', () => {
  it('answers a chat completion through the alias and through acme:<model>', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'system', content: 'Be nice.' }, { role: 'user', content: 'Hello Acme' }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('Echo: Hello Acme');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-portcullis-provider')).toBe('acme');
    const sent = JSON.parse(mock.requests[mock.requests.length - 1]!.body) as { system: string; model: string };
    expect(sent).toEqual(expect.objectContaining({ system: 'Be nice.', model: 'acme-large-2' }));

    const direct = await client.chat.completions.create({ model: 'acme:acme-small-1', messages: [{ role: 'user', content: 'x' }] });
    expect(direct.model).toBe('acme-small-1');
  });

  it('streams, with one usage chunk last when asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'user', content: 'Stream it mock:chunks:4' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo: Stream it mock:chunks:4');
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    expect(chunks[chunks.length - 1]!.usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('reports a cut answer as finish_reason length', async () => {
    const res = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'cut mock:length' }] });
    expect(res.choices[0]!.finish_reason).toBe('length');
  });

  it('refuses tools with a 400 naming the parameter, without calling Acme', async () => {
    const before = mock.requests.length;
    const err = await client.chat.completions
      .create({ model: 'smart', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('tools');
    expect(mock.requests.length).toBe(before);
  });

  it('maps an Acme 429 to a RateLimitError with Retry-After', async () => {
    const err = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'mock:error:429' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect((err as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('2');
  });

  it('delivers an in-band stream error as an SSE error, without [DONE]', async () => {
    const res = await fetch(`${gateway.url}/api/${PROJECT_ID}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smart', stream: true, messages: [{ role: 'user', content: 'mock:stream-error and some more words' }] }),
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('"error"');
    expect(text).not.toContain('[DONE]');
  });
});
