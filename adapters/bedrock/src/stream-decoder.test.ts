import type { StreamPart, UpstreamEvent } from '@portcullis/core';
import { createConverseStreamDecoder } from './stream-decoder';

const target = { provider: 'bedrock', model: 'm', credential: { id: 'c', name: 'c', secret: 's', options: {} } };
const enc = new TextEncoder();
const ev = (type: string, payload: unknown): UpstreamEvent => ({
  kind: 'message',
  headers: { ':event-type': type, ':message-type': 'event', ':content-type': 'application/json' },
  payload: enc.encode(JSON.stringify(payload)),
});
const run = (events: UpstreamEvent[]): StreamPart[] => {
  const d = createConverseStreamDecoder(target);
  return [...events.flatMap((e) => d.push(e)), ...d.end()];
};

describe('createConverseStreamDecoder', () => {
  it('reports a stream that ends before messageStop as an error part', () => {
    const parts = run([ev('messageStart', { role: 'assistant' }), ev('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'a' } })]);
    expect(parts.at(-1)).toEqual({ type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', message: 'The Bedrock stream ended before messageStop.', status: 502, retryable: true } });
  });

  it('maps an unmodelled :message-type error (headers carry code and message)', () => {
    const parts = run([{ kind: 'message', headers: { ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'boom' }, payload: new Uint8Array() }]);
    expect(parts).toEqual([{ type: 'error', error: { code: 'GW_ERR_UPSTREAM_ERROR', message: 'Bedrock stream error InternalFailure: boom', status: 502, retryable: true } }]);
  });

  it.each([
    ['not json', enc.encode('{oops')],
    ['a JSON array', enc.encode('[1]')],
  ])('turns a payload that is %s into one error part and ignores the rest', (_, payload) => {
    const parts = run([{ kind: 'message', headers: { ':event-type': 'contentBlockDelta', ':message-type': 'event' }, payload }, ev('messageStop', { stopReason: 'end_turn' })]);
    expect(parts).toEqual([expect.objectContaining({ type: 'error', error: expect.objectContaining({ code: 'GW_ERR_UPSTREAM_BAD_RESPONSE' }) })]);
  });

  it('closes tool calls left open at messageStop and ignores stray deltas, unknown events and SSE events', () => {
    const parts = run([
      { kind: 'sse', data: '{}' },
      ev('contentBlockDelta', { contentBlockIndex: 3, delta: { toolUse: { input: '{"orphan"' } } }),
      ev('contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 't', name: 'f' } } }),
      ev('contentBlockStart', { contentBlockIndex: 1, start: { somethingElse: {} } }),
      ev('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: 'thinking' } } }),
      ev('futureEvent', { x: 1 }),
      ev('messageStop', { stopReason: 'tool_use' }),
      ev('metadata', { metrics: { latencyMs: 1 } }),
    ]);
    expect(parts).toEqual([
      { type: 'tool-call-start', choice: 0, index: 0, id: 't', name: 'f' },
      { type: 'tool-call-end', choice: 0, index: 0 },
      { type: 'finish', choice: 0, reason: { unified: 'tool_calls', raw: 'tool_use' } },
    ]);
  });

  it('maps a guardrail stop to content_filter and an exception with an empty payload to the catalogue message', () => {
    expect(run([ev('messageStop', { stopReason: 'guardrail_intervened' })])).toEqual([{ type: 'finish', choice: 0, reason: { unified: 'content_filter', raw: 'guardrail_intervened' } }]);
    const parts = run([{ kind: 'message', headers: { ':message-type': 'exception', ':exception-type': 'serviceUnavailableException' }, payload: new Uint8Array() }]);
    expect(parts).toEqual([{ type: 'error', error: { code: 'GW_ERR_UPSTREAM_OVERLOADED', message: 'The upstream provider is overloaded.', status: 503, retryable: true } }]);
  });
});
