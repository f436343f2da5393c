import type { StreamPart, Target, UpstreamEvent } from '@portcullis/core';
import { createGeminiStreamDecoder } from './stream-decoder';

const target: Target = { provider: 'gemini', model: 'gemini-2.5-flash', credential: { id: 'c', name: 'c', secret: 's', options: {} } };
const sse = (data: unknown): UpstreamEvent => ({ kind: 'sse', data: typeof data === 'string' ? data : JSON.stringify(data) });
const decode = (events: UpstreamEvent[]): StreamPart[] => {
  const decoder = createGeminiStreamDecoder(target);
  return [...events.flatMap((e) => decoder.push(e)), ...decoder.end()];
};

describe('Gemini stream decoder', () => {
  it('turns a non-JSON event into one bad-response error and ignores everything after it', () => {
    const parts = decode([sse('{"candidates": ['), sse({ candidates: [{ content: { parts: [{ text: 'late' }] }, finishReason: 'STOP' }] })]);
    expect(parts).toEqual([
      { type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', message: 'Gemini sent a stream event that is not JSON.', status: 502, retryable: true } },
    ]);
  });

  it('reports a stream that ends before a finish reason, after flushing usage', () => {
    const parts = decode([sse({ candidates: [{ content: { parts: [{ text: 'Hal' }] } }], usageMetadata: { promptTokenCount: 2, totalTokenCount: 2 } })]);
    expect(parts.slice(1)).toEqual([
      { type: 'text-delta', choice: 0, text: 'Hal' },
      { type: 'usage', usage: { inputTokens: 2, outputTokens: 0, totalTokens: 2 } },
      { type: 'error', error: expect.objectContaining({ code: 'GW_ERR_UPSTREAM_BAD_RESPONSE' }) },
    ]);
    expect(decode([]).map((p) => p.type)).toEqual(['error']);
  });

  it('finishes choice 0 with content_filter when the prompt is blocked', () => {
    expect(decode([sse({ promptFeedback: { blockReason: 'SAFETY' } })])).toEqual([
      { type: 'response-meta' },
      { type: 'finish', choice: 0, reason: { unified: 'content_filter', raw: 'SAFETY' } },
    ]);
  });

  it('keeps candidates apart by index, counts tool calls per choice, skips thoughts and empty text', () => {
    const parts = decode([
      sse({
        candidates: [
          { index: 1, content: { parts: [{ text: 'B' }, { text: '' }] } },
          { index: 0, content: { parts: [{ text: 'hmm', thought: true }, { functionCall: { name: 'f', args: { x: 1 } } }] }, finishReason: 'STOP' },
        ],
      }),
      sse({ candidates: [{ index: 1, content: { parts: [{ functionCall: { name: 'g' } }] }, finishReason: 'STOP' }] }),
    ]);
    expect(parts.slice(1)).toEqual([
      { type: 'text-delta', choice: 1, text: 'B' },
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_1', name: 'f' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '{"x":1}' },
      { type: 'tool-call-end', choice: 0, index: 0 },
      { type: 'finish', choice: 0, reason: { unified: 'tool_calls', raw: 'STOP' } },
      { type: 'tool-call-start', choice: 1, index: 0, id: 'call_2', name: 'g' },
      { type: 'tool-call-delta', choice: 1, index: 0, argumentsDelta: '{}' },
      { type: 'tool-call-end', choice: 1, index: 0 },
      { type: 'finish', choice: 1, reason: { unified: 'tool_calls', raw: 'STOP' } },
    ]);
  });

  it('accepts a JSON array of chunks, ignores binary messages, and emits logprobs parts', () => {
    const decoder = createGeminiStreamDecoder(target);
    expect(decoder.push({ kind: 'message', headers: {}, payload: new Uint8Array([1]) })).toEqual([]);
    const parts = decoder.push(
      sse([
        { candidates: [{ content: { parts: [{ text: 'a' }] }, logprobsResult: { chosenCandidates: [{ token: 'a', logProbability: -1 }] } }] },
        { candidates: [{ content: { parts: [{ text: 'b' }] }, finishReason: 'MAX_TOKENS' }] },
      ]),
    );
    expect(parts.map((p) => p.type)).toEqual(['response-meta', 'text-delta', 'logprobs', 'text-delta', 'finish']);
    expect(parts[4]).toEqual({ type: 'finish', choice: 0, reason: { unified: 'length', raw: 'MAX_TOKENS' } });
    expect(decoder.end()).toEqual([]);
  });
});
