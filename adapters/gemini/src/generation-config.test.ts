import type { CanonicalChatRequest, Warning } from '@portcullis/core';
import { convertGenerationConfig } from './generation-config';
import { convertToolChoice, convertTools } from './tools';
import { buildGeminiRequest } from './build-request';

const base: CanonicalChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
const run = (extra: Partial<CanonicalChatRequest>) => {
  const warnings: Warning[] = [];
  return { config: convertGenerationConfig({ ...base, ...extra }, warnings), warnings };
};

describe('generationConfig', () => {
  it('is omitted when nothing is set (null values count as unset)', () => {
    expect(run({ temperature: null, max_tokens: null, stop: null }).config).toBeUndefined();
  });

  it('maps stop arrays, logprobs with top_logprobs, and json_object', () => {
    expect(run({ stop: ['a', 'b'], logprobs: true, top_logprobs: 3, response_format: { type: 'json_object' } }).config).toEqual({
      stopSequences: ['a', 'b'],
      responseLogprobs: true,
      logprobs: 3,
      responseMimeType: 'application/json',
    });
    expect(run({ logprobs: false, top_logprobs: 3 }).config).toBeUndefined();
    expect(run({ response_format: { type: 'text' } }).config).toBeUndefined();
  });

  it('accepts a json_schema without a schema as plain JSON mode', () => {
    expect(run({ response_format: { type: 'json_schema', json_schema: { name: 'x' } } }).config).toEqual({ responseMimeType: 'application/json' });
  });

  it('warns about settings Gemini cannot honour instead of dropping them silently', () => {
    const { warnings } = run({
      logit_bias: { '50256': -100 },
      parallel_tool_calls: false,
      reasoning_effort: 'low',
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', additionalProperties: false } } },
    });
    expect(warnings.map((w) => w.setting)).toEqual(['response_format.json_schema', 'logit_bias', 'parallel_tool_calls', 'reasoning_effort']);
    expect(warnings.every((w) => w.type === 'unsupported-setting')).toBe(true);
  });
});

describe('buildGeminiRequest', () => {
  it('refuses a conversation with nothing but system messages, naming `messages`', () => {
    const t = { provider: 'gemini', model: 'm', credential: { id: 'c', name: 'c', secret: 's', options: {} } };
    expect(() => buildGeminiRequest({ model: 'm', messages: [{ role: 'system', content: 'rules' }] }, t)).toThrow(
      expect.objectContaining({ code: 'GW_ERR_REQUEST_INVALID', param: 'messages' }),
    );
  });
});

describe('tools and tool_choice', () => {
  it('maps every tool_choice form', () => {
    expect(convertToolChoice('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(convertToolChoice('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(convertToolChoice('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(convertToolChoice({ type: 'function', function: { name: 'f' } })).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] },
    });
  });

  it('warns per tool about stripped schema keywords', () => {
    const warnings: Warning[] = [];
    convertTools([{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false } } }], warnings);
    expect(warnings).toEqual([expect.objectContaining({ setting: 'tools[f].parameters', type: 'unsupported-setting' })]);
  });

  it('sends no tools or toolConfig when the request has no tools, even with a tool_choice', () => {
    const built = buildGeminiRequest({ ...base, tools: [], tool_choice: 'required' }, { provider: 'gemini', model: 'm', credential: { id: 'c', name: 'c', secret: 's', options: {} } });
    expect(JSON.parse(built.body!)).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });
});
