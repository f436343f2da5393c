import { GatewayError, type Target } from '@portcullis/core';
import { parseMessagesResponse } from './parse-response';

const target: Target = { provider: 'anthropic', model: 'fallback-model', credential: { id: 'c', name: 'c', secret: 's', options: {} } };
const NOW = 1_700_000_000_000;
const parse = (body: unknown, headers = new Headers()) => parseMessagesResponse(body, { status: 200, headers, target }, NOW);
const message = (over: Record<string, unknown>) => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-x',
  content: [{ type: 'text', text: 'hi' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 3, output_tokens: 1 },
  ...over,
});

describe('parseMessagesResponse', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'other'],
    ['some_future_reason', 'other'],
  ])('maps stop_reason %s to %s and keeps the raw value', (raw, unified) => {
    expect(parse(message({ stop_reason: raw })).choices[0]!.finishReason).toEqual({ unified, raw });
  });

  it('maps a null stop_reason to other with raw null', () => {
    expect(parse(message({ stop_reason: null })).choices[0]!.finishReason).toEqual({ unified: 'other', raw: null });
  });

  it('takes created from the upstream date header when present', () => {
    expect(parse(message({}), new Headers({ date: 'Tue, 14 Nov 2023 22:13:20 GMT' })).created).toBe(1_700_000_000);
    expect(parse(message({}), new Headers({ date: 'garbage' })).created).toBe(NOW / 1000);
  });

  it('falls back to the target model and gives null content when there is no text', () => {
    const parsed = parse(message({ model: undefined, content: [{ type: 'thinking', thinking: 'hmm', signature: 'x' }] }));
    expect(parsed.model).toBe('fallback-model');
    expect(parsed.choices[0]!.message).toEqual({ role: 'assistant', content: null });
  });

  it('counts cache reads and writes inside inputTokens', () => {
    const parsed = parse(message({ usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 } }));
    expect(parsed.usage).toEqual({ inputTokens: 130, outputTokens: 5, totalTokens: 135, cachedInputTokens: 100, cacheWriteTokens: 20 });
  });

  it('serialises tool input, including an empty one', () => {
    const parsed = parse(message({ content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }], stop_reason: 'tool_use' }));
    expect(parsed.choices[0]!.message.tool_calls).toEqual([{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }]);
  });

  it.each([
    ['a string', 'not json'],
    ['null', null],
    ['an error body', { type: 'error', error: { type: 'api_error', message: 'x' } }],
    ['a message without content array', { type: 'message', content: 'hi' }],
    ['a tool_use without id', { type: 'message', content: [{ type: 'tool_use', name: 'f', input: {} }] }],
  ])('rejects %s as GW_ERR_UPSTREAM_BAD_RESPONSE', (_label, body) => {
    expect(() => parse(body)).toThrow(GatewayError);
    try {
      parse(body);
    } catch (err) {
      expect((err as GatewayError).code).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
    }
  });
});
