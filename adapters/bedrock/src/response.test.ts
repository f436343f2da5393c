import { GatewayError, type ResponseMeta } from '@portcullis/core';
import { mapStopReason, mapUsage, parseConverseResponse } from './response';

const target = { provider: 'bedrock', model: 'amazon.nova-pro-v1:0', credential: { id: 'c', name: 'c', secret: 's', options: {} } };
const meta = (headers: Record<string, string> = {}): ResponseMeta => ({ status: 200, headers: new Headers(headers), target });
const clock = { now: () => 1_700_000_000_500, newId: () => 'generated-id' };

describe('parseConverseResponse', () => {
  it('uses x-amzn-requestid for the id when present, and the injected clock for created', () => {
    const parsed = parseConverseResponse({ output: { message: { role: 'assistant', content: [{ text: 'hi' }] } }, stopReason: 'end_turn' }, meta({ 'x-amzn-requestid': 'abc-123' }), clock);
    expect([parsed.id, parsed.created, parsed.model]).toEqual(['bedrock-abc-123', 1_700_000_000, 'amazon.nova-pro-v1:0']);
    expect(parsed.usage).toBeUndefined();
  });

  it('returns null content for a tool-only answer and skips blocks it has no field for', () => {
    const parsed = parseConverseResponse(
      {
        output: { message: { role: 'assistant', content: [{ reasoningContent: { reasoningText: { text: 'hmm' } } }, { toolUse: { toolUseId: 't', name: 'f' } }, 'junk'] } },
        stopReason: 'tool_use',
      },
      meta(),
      clock,
    );
    expect(parsed.choices[0]!.message).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] });
  });

  it.each([null, 'text', [], {}, { output: {} }, { output: { message: { content: 'x' } } }])('rejects the unreadable body %p as GW_ERR_UPSTREAM_BAD_RESPONSE', (body) => {
    expect(() => parseConverseResponse(body, meta(), clock)).toThrow(GatewayError);
    try {
      parseConverseResponse(body, meta(), clock);
    } catch (err) {
      expect((err as GatewayError).code).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
    }
  });

  it('rejects a toolUse block without id or name', () => {
    expect(() => parseConverseResponse({ output: { message: { content: [{ toolUse: { name: 'f' } }] } } }, meta(), clock)).toThrow(GatewayError);
  });
});

describe('mapStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
    ['something_new', 'other'],
  ])('%s -> %s, raw kept', (raw, unified) => {
    expect(mapStopReason(raw)).toEqual({ unified, raw });
  });
  it('maps a missing stop reason to other with raw null', () => expect(mapStopReason(undefined)).toEqual({ unified: 'other', raw: null }));
});

describe('mapUsage', () => {
  it('counts cache reads and writes inside inputTokens', () => {
    expect(mapUsage({ inputTokens: 10, outputTokens: 5, totalTokens: 45, cacheReadInputTokens: 20, cacheWriteInputTokens: 10 })).toEqual({
      inputTokens: 40,
      outputTokens: 5,
      totalTokens: 45,
      cachedInputTokens: 20,
      cacheWriteTokens: 10,
    });
  });
  it('treats missing or invalid counts as zero', () => {
    expect(mapUsage({ inputTokens: -1, outputTokens: Number.NaN })).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });
});
