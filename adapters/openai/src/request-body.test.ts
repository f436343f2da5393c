import type { CanonicalChatRequest, Target } from '@portcullis/core';
import { adapters } from './index';
import { buildChatBody } from './request-body';

const target = (provider: string, secret = 'key-0123'): Target => ({ provider, model: 'm-up', credential: { id: 'c', name: 'c', secret, options: {} } });
const adapterFor = (provider: string) => {
  const found = adapters.find((a) => a.providers.includes(provider));
  if (!found) throw new Error(`no adapter for ${provider}`);
  return found;
};
const base: CanonicalChatRequest = { model: 'alias', messages: [{ role: 'user', content: 'hi' }] };

describe('buildChatBody', () => {
  it('drops stream_options on non-streaming requests (OpenAI rejects it there)', () => {
    const { body } = buildChatBody({ ...base, stream: false, stream_options: { include_usage: true } }, { model: 'x', acceptsStreamOptions: true, params: {} });
    expect(body).not.toHaveProperty('stream_options');
  });

  it('forces include_usage on streams even when the client said false', () => {
    const { body } = buildChatBody({ ...base, stream: true, stream_options: { include_usage: false } }, { model: 'x', acceptsStreamOptions: true, params: {} });
    expect(body.stream_options).toEqual({ include_usage: true });
  });

  it('does not mutate the canonical request', () => {
    const req: CanonicalChatRequest = { ...base, messages: [{ role: 'user', content: 'hi', name: 'bob' }], n: 3, stream: true };
    const snapshot = JSON.stringify(req);
    buildChatBody(req, { model: 'x', acceptsStreamOptions: false, params: { n: 'drop' }, rejectsMessageName: true });
    expect(JSON.stringify(req)).toBe(snapshot);
  });

  it('keeps a param whose drop rule does not apply (n=1 at a single-choice vendor)', () => {
    const { body, warnings } = buildChatBody({ ...base, n: 1 }, { model: 'x', acceptsStreamOptions: true, params: { n: 'drop-unless-one' } });
    expect(body.n).toBe(1);
    expect(warnings).toEqual([]);
  });

  it('does not overwrite an explicit target param when renaming', () => {
    const { body } = buildChatBody({ ...base, max_tokens: 10, max_completion_tokens: 99 }, { model: 'x', acceptsStreamOptions: true, params: { max_completion_tokens: { renameTo: 'max_tokens' } } });
    expect(body).toMatchObject({ max_tokens: 10 });
    expect(body).not.toHaveProperty('max_completion_tokens');
  });
});

describe('preset warnings', () => {
  it('groq warns once per dropped setting, including messages[].name', () => {
    const built = adapterFor('groq').buildRequest(
      { ...base, messages: [{ role: 'user', content: 'hi', name: 'al' }], logprobs: true, top_logprobs: 2, logit_bias: { '1': 1 }, n: 2 },
      target('groq'),
    );
    expect(built.warnings.map((w) => w.setting).sort()).toEqual(['logit_bias', 'logprobs', 'messages[].name', 'n', 'top_logprobs']);
    expect(built.warnings.every((w) => w.type === 'unsupported-setting' && w.message.length > 0)).toBe(true);
  });

  it('mistral renames silently (no warning) but warns for dropped settings', () => {
    const built = adapterFor('mistral').buildRequest({ ...base, seed: 1, logit_bias: { '1': 1 } }, target('mistral'));
    expect(built.warnings.map((w) => w.setting)).toEqual(['logit_bias']);
    expect(JSON.parse(built.body ?? '{}')).toMatchObject({ random_seed: 1 });
  });

  it('openai passes every parameter through without warnings', () => {
    const built = adapterFor('openai').buildRequest({ ...base, logprobs: true, logit_bias: { '1': 1 }, n: 4 }, target('openai'));
    expect(built.warnings).toEqual([]);
  });

  it('ollama sends Authorization only when a key is configured (e.g. behind an auth proxy)', () => {
    expect(adapterFor('ollama').buildRequest(base, target('ollama', '')).headers).not.toHaveProperty('authorization');
    expect(adapterFor('ollama').buildRequest(base, target('ollama', 'proxy-key')).headers.authorization).toBe('Bearer proxy-key');
  });

  it('every preset honours a baseUrl override', () => {
    for (const adapter of adapters.filter((a) => !a.providers.includes('azure-openai'))) {
      const provider = adapter.providers[0]!;
      const built = adapter.buildRequest(base, { ...target(provider), baseUrl: 'http://127.0.0.1:9/v1' });
      expect(built.url).toBe('http://127.0.0.1:9/v1/chat/completions');
    }
  });

  it('declares capabilities that match the dropped params', () => {
    expect(adapterFor('groq').capabilities).toMatchObject({ logprobs: false, n: false, embeddings: false });
    expect(adapterFor('groq').embeddings).toBeUndefined();
    expect(adapterFor('openai').capabilities).toMatchObject({ logprobs: true, n: true, embeddings: true });
  });
});
