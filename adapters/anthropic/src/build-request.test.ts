import { GatewayError, type CanonicalChatRequest, type Target } from '@portcullis/core';
import { buildMessagesRequest, messagesUrl } from './build-request';

const target: Target = { provider: 'anthropic', model: 'claude-x', credential: { id: 'c', name: 'c', secret: 'sk-ant-secret', options: {} } };
const user = (content: string): CanonicalChatRequest['messages'][number] => ({ role: 'user', content });

const bodyOf = (req: Partial<CanonicalChatRequest>, t: Target = target): Record<string, unknown> =>
  JSON.parse(buildMessagesRequest({ model: 'm', messages: [user('hi')], ...req }, t).body ?? 'null') as Record<string, unknown>;
const warningsOf = (req: Partial<CanonicalChatRequest>): (string | undefined)[] =>
  buildMessagesRequest({ model: 'm', messages: [user('hi')], ...req }, target).warnings.map((w) => w.setting);

const thrown = (fn: () => unknown): GatewayError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
};

describe('messagesUrl', () => {
  it.each([
    [undefined, 'https://api.anthropic.com/v1/messages'],
    ['https://api.anthropic.com', 'https://api.anthropic.com/v1/messages'],
    ['https://api.anthropic.com/', 'https://api.anthropic.com/v1/messages'],
    ['https://proxy.example/anthropic/v1', 'https://proxy.example/anthropic/v1/messages'],
  ])('%s -> %s', (base, url) => expect(messagesUrl(base)).toBe(url));
});

describe('buildMessagesRequest', () => {
  it('sends the key only in x-api-key, with the pinned API version', () => {
    const built = buildMessagesRequest({ model: 'm', messages: [user('hi')] }, target);
    expect(built.headers).toEqual({ 'content-type': 'application/json', 'x-api-key': 'sk-ant-secret', 'anthropic-version': '2023-06-01' });
    expect(built.method).toBe('POST');
  });

  it('lets credential options pin another API version and opt into betas', () => {
    const t = { ...target, credential: { ...target.credential, options: { anthropicVersion: '2026-10-21', anthropicBeta: 'a,b' } } };
    const built = buildMessagesRequest({ model: 'm', messages: [user('hi')] }, t);
    expect(built.headers['anthropic-version']).toBe('2026-10-21');
    expect(built.headers['anthropic-beta']).toBe('a,b');
  });

  it('uses max_completion_tokens over max_tokens, and 4096 when neither is set', () => {
    expect(bodyOf({ max_tokens: 10, max_completion_tokens: 20 })['max_tokens']).toBe(20);
    expect(bodyOf({ max_tokens: 10 })['max_tokens']).toBe(10);
    expect(bodyOf({})['max_tokens']).toBe(4096);
  });

  it('maps stop arrays, dropping empty sequences Anthropic would reject', () => {
    expect(bodyOf({ stop: ['a', '', 'b'] })['stop_sequences']).toEqual(['a', 'b']);
    expect(bodyOf({ stop: '' })).not.toHaveProperty('stop_sequences');
    expect(bodyOf({ stop: null })).not.toHaveProperty('stop_sequences');
  });

  it('clamps temperature above 1 (Anthropic range) with a warning', () => {
    expect(bodyOf({ temperature: 1.7 })['temperature']).toBe(1);
    expect(warningsOf({ temperature: 1.7 })).toEqual(['temperature']);
    expect(bodyOf({ temperature: 0 })['temperature']).toBe(0);
    expect(warningsOf({ temperature: 0.5 })).toEqual([]);
  });

  it('sets stream only when streaming', () => {
    expect(bodyOf({ stream: true })['stream']).toBe(true);
    expect(bodyOf({ stream: false })).not.toHaveProperty('stream');
  });

  it('warns about every setting Anthropic cannot honour', () => {
    expect(
      warningsOf({
        logprobs: true,
        top_logprobs: 2,
        seed: 1,
        presence_penalty: 0.5,
        frequency_penalty: 0.5,
        logit_bias: { '50256': -100 },
        reasoning_effort: 'low',
        metadata: { team: 'a' },
        service_tier: 'flex',
      }),
    ).toEqual(['logprobs', 'top_logprobs', 'seed', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'reasoning_effort', 'metadata', 'service_tier']);
  });

  it('does not warn about neutral values of unsupported settings', () => {
    expect(warningsOf({ n: 1, presence_penalty: 0, frequency_penalty: 0, logit_bias: {}, logprobs: false, service_tier: 'auto' })).toEqual([]);
  });

  it('refuses n > 1 with GW_ERR_FEATURE_UNSUPPORTED on param n', () => {
    const err = thrown(() => buildMessagesRequest({ model: 'm', messages: [user('hi')], n: 2 }, target));
    expect([err.code, err.param, err.status]).toEqual(['GW_ERR_FEATURE_UNSUPPORTED', 'n', 400]);
  });

  it('emulates json_object with a system instruction and a warning', () => {
    const built = buildMessagesRequest({ model: 'm', messages: [user('hi')], response_format: { type: 'json_object' } }, target);
    const body = JSON.parse(built.body!) as { system: { text: string }[] };
    expect(body.system).toHaveLength(1);
    expect(body.system[0]!.text).toMatch(/valid JSON object/);
    expect(built.warnings).toEqual([expect.objectContaining({ type: 'unsupported-setting', setting: 'response_format' })]);
  });

  it('adds nothing for response_format text', () => {
    expect(bodyOf({ response_format: { type: 'text' } })).not.toHaveProperty('system');
    expect(warningsOf({ response_format: { type: 'text' } })).toEqual([]);
  });

  it('never puts the secret in the body', () => {
    const built = buildMessagesRequest({ model: 'm', messages: [user('hi')], user: 'u1' }, target);
    expect(built.body).not.toContain('sk-ant-secret');
    expect(JSON.parse(built.body!).metadata).toEqual({ user_id: 'u1' });
  });
});
