import { GatewayError, type ResponseMeta } from '@portcullis/core';
import { parseChatCompletion } from './parse-response';
import { mapFinishReason } from './finish-reason';

const meta: ResponseMeta = { status: 200, headers: new Headers(), target: { provider: 'openai', model: 'fallback-model', credential: { id: 'c', name: 'c', secret: 's', options: {} } } };

describe('parseChatCompletion', () => {
  it.each([
    ['a string', 'not json'],
    ['null', null],
    ['an array', []],
    ['an object without choices', { id: 'x' }],
    ['an error envelope with status 200', { error: { message: 'bad' } }],
  ])('rejects %s as a bad upstream response', (_label, body) => {
    expect(() => parseChatCompletion(body, meta)).toThrow(GatewayError);
    try {
      parseChatCompletion(body, meta);
    } catch (err) {
      expect((err as GatewayError).code).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
    }
  });

  it('falls back to the target model and fills missing fields', () => {
    const parsed = parseChatCompletion({ choices: [{ message: { content: [{ type: 'thinking', thinking: 'hmm' }, { type: 'text', text: 'Hi' }] }, finish_reason: 'model_length' }] }, meta);
    expect(parsed.model).toBe('fallback-model');
    expect(parsed.id).toBe('');
    expect(parsed.choices).toEqual([{ index: 0, message: { role: 'assistant', content: 'Hi' }, finishReason: { unified: 'length', raw: 'model_length' } }]);
    expect(parsed.usage).toBeUndefined();
  });

  it('serialises object-shaped tool arguments (some local servers send objects)', () => {
    const parsed = parseChatCompletion({ choices: [{ index: 0, message: { content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: { a: 1 } } }] }, finish_reason: 'tool_calls' }] }, meta);
    expect(parsed.choices[0]!.message.tool_calls).toEqual([{ id: 't', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }]);
  });
});

describe('mapFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['eos', 'stop'],
    ['something_new', 'other'],
  ])('%s -> %s, raw kept', (raw, unified) => {
    expect(mapFinishReason(raw)).toEqual({ unified, raw });
  });
  it('null -> other with raw null', () => {
    expect(mapFinishReason(null)).toEqual({ unified: 'other', raw: null });
  });
});
