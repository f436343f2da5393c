import type { StreamPart, UpstreamEvent } from '@portcullis/core';
import { createMessagesStreamDecoder } from './stream-decoder';

const ev = (data: unknown, event?: string): UpstreamEvent => ({ kind: 'sse', data: typeof data === 'string' ? data : JSON.stringify(data), ...(event ? { event } : {}) });
const start = { type: 'message_start', message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 10, output_tokens: 1 } } };
const run = (events: UpstreamEvent[]): StreamPart[] => {
  const decoder = createMessagesStreamDecoder();
  return [...events.flatMap((e) => decoder.push(e)), ...decoder.end()];
};

describe('createMessagesStreamDecoder', () => {
  it('emits usage once, at message_stop, even with several message_delta events', () => {
    const parts = run([
      ev(start),
      ev({ type: 'message_delta', delta: { stop_reason: null }, usage: { output_tokens: 3 } }),
      ev({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } }),
      ev({ type: 'message_stop' }),
      ev({ type: 'message_stop' }),
    ]);
    expect(parts.filter((p) => p.type === 'usage')).toEqual([{ type: 'usage', usage: { inputTokens: 10, outputTokens: 7, totalTokens: 17 } }]);
    expect(parts.filter((p) => p.type === 'finish')).toHaveLength(1);
  });

  it('lets cumulative input counters in message_delta override message_start', () => {
    const parts = run([
      ev(start),
      ev({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 12, cache_read_input_tokens: 4, output_tokens: 2 } }),
      ev({ type: 'message_stop' }),
    ]);
    expect(parts.at(-1)).toEqual({ type: 'usage', usage: { inputTokens: 16, outputTokens: 2, totalTokens: 18, cachedInputTokens: 4 } });
  });

  it('reports a stream cut before message_stop: usage so far, then an error', () => {
    const parts = run([ev(start), ev({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })]);
    expect(parts.map((p) => p.type)).toEqual(['response-meta', 'usage', 'error']);
    expect(parts[2]).toMatchObject({ error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', retryable: true } });
  });

  it('emits nothing at end for an empty body', () => {
    expect(run([])).toEqual([]);
  });

  it('turns non-JSON data into a bad-response error part', () => {
    expect(run([ev('not json', 'message_start')])).toEqual([
      { type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', message: 'Anthropic stream: event message_start is not JSON.', status: 502, retryable: true } },
    ]);
    expect(run([ev('[1]')])[0]).toMatchObject({ type: 'error' });
  });

  it('ignores ping, unknown events, unknown deltas and deltas for unknown blocks', () => {
    const parts = run([
      ev(start),
      ev({ type: 'ping' }, 'ping'),
      ev({ type: 'future_event', x: 1 }),
      ev({ type: 'content_block_delta', index: 5, delta: { type: 'text_delta', text: 'orphan' } }),
      ev({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: 'pre' } }),
      ev({ type: 'content_block_delta', index: 0, delta: { type: 'citations_delta', citation: {} } }),
      ev({ type: 'content_block_stop', index: 0 }),
      ev({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }),
      ev({ type: 'message_stop' }),
    ]);
    expect(parts.map((p) => p.type)).toEqual(['response-meta', 'text-delta', 'finish', 'usage']);
    expect(parts[1]).toEqual({ type: 'text-delta', choice: 0, text: 'pre' });
  });

  it('uses the SSE event name when the data lacks a type', () => {
    expect(run([ev({ message: { id: 'm' } }, 'message_start')])[0]).toEqual({ type: 'response-meta', id: 'm' });
  });

  it.each([
    ['rate_limit_error', 'GW_ERR_UPSTREAM_RATE_LIMITED', 429, true],
    ['api_error', 'GW_ERR_UPSTREAM_ERROR', 502, true],
    ['invalid_request_error', 'GW_ERR_UPSTREAM_BAD_REQUEST', 400, false],
  ])('maps an in-band %s error', (type, code, status, retryable) => {
    const parts = run([ev(start), ev({ type: 'error', error: { type, message: 'boom' } }, 'error')]);
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { code, status, retryable } });
    expect(parts.filter((p) => p.type === 'usage')).toEqual([]);
  });

  it('reports a malformed content_block_start', () => {
    expect(run([ev({ type: 'content_block_start', index: 0 })])[0]).toMatchObject({ type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE' } });
  });
});
