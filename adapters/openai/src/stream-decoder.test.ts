import type { StreamPart, UpstreamEvent } from '@portcullis/core';
import { createOpenAIStreamDecoder } from './stream-decoder';

const sse = (data: unknown, event?: string): UpstreamEvent => ({ kind: 'sse', data: typeof data === 'string' ? data : JSON.stringify(data), ...(event ? { event } : {}) });
const run = (events: UpstreamEvent[]): StreamPart[] => {
  const decoder = createOpenAIStreamDecoder();
  return [...events.flatMap((e) => decoder.push(e)), ...decoder.end()];
};
const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'c1', model: 'm', created: 1, choices, ...extra });

describe('createOpenAIStreamDecoder', () => {
  it('reports a stream cut off before any choice finished', () => {
    const parts = run([sse(chunk([{ index: 0, delta: { content: 'Hel' }, finish_reason: null }]))]);
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', retryable: true } });
  });

  it('flushes held usage and open tool calls at end() when [DONE] never came', () => {
    const parts = run([
      sse(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{}' } }] }, finish_reason: null }])),
      sse(chunk([], { usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })),
    ]);
    expect(parts.map((p) => p.type)).toEqual(['response-meta', 'tool-call-start', 'tool-call-delta', 'tool-call-end', 'usage', 'error']);
  });

  it('emits response-meta once, and ignores everything after [DONE]', () => {
    const parts = run([
      sse(chunk([{ index: 0, delta: { content: 'a' }, finish_reason: null }])),
      sse(chunk([{ index: 0, delta: { content: 'b' }, finish_reason: 'stop' }])),
      sse('[DONE]'),
      sse(chunk([{ index: 0, delta: { content: 'late' }, finish_reason: null }])),
    ]);
    expect(parts.filter((p) => p.type === 'response-meta')).toHaveLength(1);
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text)).toEqual(['a', 'b']);
  });

  it('gives a tool call without an id a stable synthetic one', () => {
    const parts = run([sse(chunk([{ index: 0, delta: { tool_calls: [{ index: 2, function: { name: 'lookup', arguments: { q: 1 } } }] }, finish_reason: 'tool_calls' }])), sse('[DONE]')]);
    expect(parts).toContainEqual({ type: 'tool-call-start', choice: 0, index: 2, id: 'call_0_2', name: 'lookup' });
    expect(parts).toContainEqual({ type: 'tool-call-delta', choice: 0, index: 2, argumentsDelta: '{"q":1}' });
  });

  it('keeps tool calls of different choices apart', () => {
    const parts = run([
      sse(chunk([
        { index: 0, delta: { tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '' } }] }, finish_reason: null },
        { index: 1, delta: { tool_calls: [{ index: 0, id: 'b', function: { name: 'g', arguments: '' } }] }, finish_reason: null },
      ])),
      sse(chunk([{ index: 1, delta: {}, finish_reason: 'tool_calls' }])),
      sse(chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }])),
      sse('[DONE]'),
    ]);
    expect(parts.filter((p) => p.type === 'tool-call-end')).toEqual([
      { type: 'tool-call-end', choice: 1, index: 0 },
      { type: 'tool-call-end', choice: 0, index: 0 },
    ]);
  });

  it('turns a non-JSON event into an error part and stops', () => {
    const parts = run([sse('<html>oops</html>'), sse(chunk([{ index: 0, delta: { content: 'x' }, finish_reason: 'stop' }]))]);
    expect(parts).toEqual([{ type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', message: 'The upstream stream sent an event that is not JSON.', status: 502, retryable: true } }]);
  });

  it('treats an `event: error` frame as an in-band error', () => {
    const parts = run([sse({ message: 'overloaded', type: 'overloaded_error' }, 'error')]);
    expect(parts).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'GW_ERR_UPSTREAM_OVERLOADED', status: 503 }) }]);
  });

  it('ignores non-SSE events and JSON that is not an object', () => {
    const decoder = createOpenAIStreamDecoder();
    expect(decoder.push({ kind: 'message', headers: {}, payload: new Uint8Array() })).toEqual([]);
    expect(decoder.push(sse('[1,2]'))).toEqual([]);
    expect(decoder.push(sse('"text"'))).toEqual([]);
  });

  it('keeps the last usage when a vendor repeats running totals', () => {
    const parts = run([
      sse(chunk([{ index: 0, delta: { content: 'a' }, finish_reason: null }], { usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } })),
      sse(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }], { usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })),
      sse('[DONE]'),
    ]);
    expect(parts.filter((p) => p.type === 'usage')).toEqual([{ type: 'usage', usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } }]);
  });
});
