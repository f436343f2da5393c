import type { CanonicalChatRequest } from '@portcullis/core';
import { createFakeRequestContext } from '../../../core/src/testkit/fake-plugin-host';
import {
  countChatInputTokens,
  countEmbeddingsInputTokens,
  FALLBACK_MAX_OUTPUT_TOKENS,
  inputTokensOf,
  maxOutputTokensOf,
} from './token-estimate';
import { O200kTokenCounter } from './tokenizer';

const { count: countTokens } = new O200kTokenCounter();

const chat = (over: Partial<CanonicalChatRequest> = {}): CanonicalChatRequest => ({
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'What is the capital of France?' },
  ],
  ...over,
});

describe('countChatInputTokens', () => {
  it('counts message text with the tokenizer plus per-message framing', () => {
    const text = countTokens('You are terse.') + countTokens('What is the capital of France?');
    expect(countChatInputTokens(chat())).toBe(text + 2 * 3 + 3);
  });

  it('grows with the prompt', () => {
    const small = countChatInputTokens(chat());
    const big = countChatInputTokens(chat({ messages: [{ role: 'user', content: 'lorem ipsum dolor '.repeat(500) }] }));
    expect(big).toBeGreaterThan(small + 1000);
  });

  it('counts text parts, images, tool calls, tools and json schemas', () => {
    const base = countChatInputTokens({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
    const withImage = countChatInputTokens({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: 'data:x' } }] }],
    });
    expect(withImage - base).toBe(765);
    const withTools = countChatInputTokens({
      model: 'm',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
    });
    expect(withTools).toBeGreaterThan(countTokens('get_weather') * 2 + countTokens('{"city":"Paris"}'));
  });
});

describe('countEmbeddingsInputTokens', () => {
  it('counts strings, arrays of strings and pre-tokenized ids', () => {
    expect(countEmbeddingsInputTokens({ model: 'e', input: 'hello world' })).toBe(countTokens('hello world'));
    expect(countEmbeddingsInputTokens({ model: 'e', input: ['a b', 'c'] })).toBe(countTokens('a b') + countTokens('c'));
    expect(countEmbeddingsInputTokens({ model: 'e', input: [1, 2, 3] })).toBe(3);
    expect(countEmbeddingsInputTokens({ model: 'e', input: [[1, 2], [3]] })).toBe(3);
  });
});

describe('inputTokensOf / maxOutputTokensOf', () => {
  it('counts once per request object and recounts after a rewrite', () => {
    const ctx = createFakeRequestContext({ request: chat() });
    const first = inputTokensOf(ctx);
    expect(inputTokensOf(ctx)).toBe(first);
    if (!ctx.llm) throw new Error('expected llm state');
    ctx.llm.request = chat({ messages: [{ role: 'user', content: 'much longer text '.repeat(50) }] });
    expect(inputTokensOf(ctx)).toBeGreaterThan(first);
  });

  it('is 0 without an LLM call', () => {
    expect(inputTokensOf(createFakeRequestContext({ llm: null }))).toBe(0);
    expect(maxOutputTokensOf(createFakeRequestContext({ llm: null }), 100)).toBe(0);
  });

  it('takes max_completion_tokens, then max_tokens, then the default, then the fallback, times n', () => {
    const out = (over: Partial<CanonicalChatRequest>, def?: number) => maxOutputTokensOf(createFakeRequestContext({ request: chat(over) }), def);
    expect(out({ max_completion_tokens: 50, max_tokens: 70 })).toBe(50);
    expect(out({ max_tokens: 70 })).toBe(70);
    expect(out({}, 300)).toBe(300);
    expect(out({})).toBe(FALLBACK_MAX_OUTPUT_TOKENS);
    expect(out({ max_tokens: 100, n: 3 })).toBe(300);
  });

  it('reserves no output for embeddings', () => {
    expect(maxOutputTokensOf(createFakeRequestContext({ request: { model: 'e', input: 'x' } }), 500)).toBe(0);
  });
});
