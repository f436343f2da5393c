import OpenAI from 'openai';
import { PluginBootError, resolvePlugins, type GatewayPlugin, type RequestLogRecord } from '@portcullis/core';
import { startMockOpenAI, startTestGateway, type MockServer, type TestGateway } from '@portcullis/core/testkit';
import { adapters as openaiAdapters } from '@portcullis/adapter-openai';
import { createPlugin as createAiWrapperPlugin } from '@portcullis/plugin-ai-wrapper';
import { createPlugin as createAuthPlugin } from '@portcullis/plugin-auth';
import { createPlugin, requestTaggerConfigSchema, tagFor } from './index';

const PROJECT_ID = '7e2d4c6b-8a1f-4e3d-9b5c-0a1b2c3d4e5f';
const TOKEN = 'pc_live_TaggerTemplateTokenAbcdefghijkl';

describe('request-tagger config', () => {
  it('fills defaults', () => {
    expect(requestTaggerConfigSchema.parse({ tag: 'eu-1' })).toEqual({ tag: 'eu-1', responseHeader: 'x-portcullis-tag', logKey: 'tag' });
  });

  it.each([
    ['no tag', {}],
    ['a tag with spaces', { tag: 'eu 1' }],
    ['a tag too long', { tag: 'x'.repeat(65) }],
    ['a bad header name', { tag: 'eu-1', responseHeader: 'x tag' }],
    ['a bad team header name', { tag: 'eu-1', teamHeader: 'x:team' }],
    ['an unknown key', { tag: 'eu-1', colour: 'blue' }],
  ])('stops the boot on %s', (_name, config) => {
    expect(() => resolvePlugins([{ plugin: createPlugin() as GatewayPlugin<unknown>, config }])).toThrow(PluginBootError);
    expect(() => resolvePlugins([{ plugin: createPlugin() as GatewayPlugin<unknown>, config }])).toThrow(/request-tagger/);
  });
});

describe('tagFor', () => {
  const config = requestTaggerConfigSchema.parse({ tag: 'eu-1', teamHeader: 'X-Team' });
  it('appends a well-formed team', () => expect(tagFor(config, { 'x-team': 'billing' })).toBe('eu-1/billing'));
  it('uses the first of repeated headers', () => expect(tagFor(config, { 'x-team': ['ops', 'billing'] })).toBe('eu-1/ops'));
  it.each([['has space'], ['quote"'], ['line\nbreak'], [''], ['x'.repeat(33)]])('ignores the malformed team %j', (team) =>
    expect(tagFor(config, { 'x-team': team })).toBe('eu-1'),
  );
  it('ignores the header when no teamHeader is configured', () =>
    expect(tagFor(requestTaggerConfigSchema.parse({ tag: 'eu-1' }), { 'x-team': 'billing' })).toBe('eu-1'));
});

describe('request-tagger in a running gateway', () => {
  let mock: MockServer;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    mock = await startMockOpenAI({ apiKey: 'sk-tagger-openai-0123456789abcdef' });
    gateway = await startTestGateway({
      yaml: `
credentials:
  - { name: openai-main, provider: openai, secret: sk-tagger-openai-0123456789abcdef, baseUrl: "${mock.url}/v1" }
projects:
  - id: ${PROJECT_ID}
    name: Tagged
    type: ai_wrapper
    providers: [ { provider: openai, credential: openai-main } ]
    aliases: [ { name: fast, target: "openai:gpt-4o-mini" } ]
    tokens: [ { name: app, scopes: [chat], value: "${TOKEN}" } ]
`,
      plugins: [
        { plugin: createAuthPlugin() as GatewayPlugin<never> },
        { plugin: createAiWrapperPlugin() as GatewayPlugin<never> },
        { plugin: createPlugin() as GatewayPlugin<never>, config: { tag: 'eu-1', teamHeader: 'x-team' } },
      ],
      adapters: openaiAdapters,
    });
    client = new OpenAI({ baseURL: `${gateway.url}/api/${PROJECT_ID}/v1`, apiKey: TOKEN, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway.close();
    await mock.close();
  });

  /** Log records are written in batches after the response: wait for this one. */
  async function logRecord(requestId: string): Promise<RequestLogRecord> {
    for (let i = 0; i < 100; i++) {
      const record = await gateway.store.requestLogs.get(requestId);
      if (record) return record;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no log record for ${requestId}`);
  }

  const chat = (headers: Record<string, string> = {}) =>
    client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }, { headers }).withResponse();

  it('adds the response header and annotates the log record', async () => {
    const { data, response } = await chat();
    expect(data.choices[0]!.message.content).toBe('Echo: hi');
    expect(response.headers.get('x-portcullis-tag')).toBe('eu-1');
    const record = await logRecord(response.headers.get('x-request-id')!);
    expect(record.metadata).toEqual(expect.objectContaining({ tag: 'eu-1' }));
  });

  it('refines the tag with a well-formed team header, in the header and the log', async () => {
    const { response } = await chat({ 'x-team': 'billing' });
    expect(response.headers.get('x-portcullis-tag')).toBe('eu-1/billing');
    expect((await logRecord(response.headers.get('x-request-id')!)).metadata).toEqual(expect.objectContaining({ tag: 'eu-1/billing' }));
  });

  it('ignores a malformed team header', async () => {
    const { response } = await chat({ 'x-team': 'drop table;' });
    expect(response.headers.get('x-portcullis-tag')).toBe('eu-1');
  });

  it('tags streamed answers too', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'fast', messages: [{ role: 'user', content: 'stream' }], stream: true }, { headers: { 'x-team': 'ops' } })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Echo: stream');
    expect(response.headers.get('x-portcullis-tag')).toBe('eu-1/ops');
  });
});
