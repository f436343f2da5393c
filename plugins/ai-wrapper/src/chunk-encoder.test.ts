import type { StreamPart } from '@portcullis/core';
import { ChunkEncoder } from './chunk-encoder';

const fallback = { id: 'chatcmpl-fallback', model: 'gpt-x', created: 1700000000 };

function encodeAll(parts: StreamPart[], clientWantsUsage: boolean): string[] {
  const encoder = new ChunkEncoder(fallback, clientWantsUsage);
  return [...parts.flatMap((p) => encoder.encode(p)), ...encoder.finish()];
}

describe('ChunkEncoder', () => {
  it('writes OpenAI chunks byte for byte: role on the first delta, finish, usage last', () => {
    const out = encodeAll(
      [
        { type: 'response-meta', id: 'chatcmpl-up', model: 'gpt-up', created: 1700000001, systemFingerprint: 'fp_1' },
        { type: 'text-delta', choice: 0, text: 'Hel' },
        { type: 'text-delta', choice: 0, text: 'lo "quoted"\n' },
        { type: 'finish', choice: 0, reason: { unified: 'stop', raw: 'stop' } },
        { type: 'usage', usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } },
      ],
      true,
    );
    const head = '{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1700000001,"model":"gpt-up","choices":[';
    const tail = '],"system_fingerprint":"fp_1","usage":null}';
    expect(out).toEqual([
      `${head}{"index":0,"delta":{"role":"assistant","content":"Hel"},"logprobs":null,"finish_reason":null}${tail}`,
      `${head}{"index":0,"delta":{"content":"lo \\"quoted\\"\\n"},"logprobs":null,"finish_reason":null}${tail}`,
      `${head}{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}${tail}`,
      `${head}],"system_fingerprint":"fp_1","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}`,
    ]);
  });

  it('uses the fallback id and model without a response-meta, and leaves usage out unless asked', () => {
    const out = encodeAll(
      [
        { type: 'text-delta', choice: 1, text: 'x' },
        { type: 'finish', choice: 1, reason: { unified: 'length', raw: 'length' } },
      ],
      false,
    );
    const head = '{"id":"chatcmpl-fallback","object":"chat.completion.chunk","created":1700000000,"model":"gpt-x","choices":[';
    expect(out).toEqual([
      `${head}{"index":1,"delta":{"role":"assistant","content":"x"},"logprobs":null,"finish_reason":null}]}`,
      `${head}{"index":1,"delta":{},"logprobs":null,"finish_reason":"length"}]}`,
    ]);
  });

  it('starts a choice that opens with a tool call without an empty content, and a bare finish with one', () => {
    const encoder = new ChunkEncoder(fallback, false);
    const [start] = encoder.encode({ type: 'tool-call-start', choice: 0, index: 0, id: 'call_1', name: 'f' });
    expect(JSON.parse(start!).choices[0].delta).toEqual({
      role: 'assistant',
      tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }],
    });
    const [delta] = encoder.encode({ type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '{"a":1}' });
    expect(JSON.parse(delta!).choices[0].delta).toEqual({ tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] });
    const [finish] = encoder.encode({ type: 'finish', choice: 2, reason: { unified: 'stop', raw: 'stop' } });
    expect(JSON.parse(finish!).choices[0]).toEqual({ index: 2, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: 'stop' });
  });

  it('reports null usage when asked for but never received, and a null system fingerprint as null', () => {
    const out = encodeAll([{ type: 'response-meta', systemFingerprint: null }, { type: 'refusal-delta', choice: 0, text: 'no' }], true);
    expect(JSON.parse(out[0]!)).toMatchObject({ system_fingerprint: null, choices: [{ delta: { role: 'assistant', refusal: 'no' } }] });
    expect(JSON.parse(out[1]!)).toMatchObject({ choices: [], system_fingerprint: null, usage: null });
  });

  it('encodes an error in-band, marks the stream errored and sends no usage chunk after it', () => {
    const encoder = new ChunkEncoder(fallback, true);
    const [payload] = encoder.encode({ type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', message: 'bad', status: 502, retryable: false } });
    expect(JSON.parse(payload!)).toEqual({ error: { message: 'bad', type: 'api_error', param: null, code: 'GW_ERR_UPSTREAM_BAD_RESPONSE' } });
    expect(encoder.errored).toBe(true);
    expect(encoder.finish()).toEqual([]);
  });

  it('picks up a model change from a later response-meta', () => {
    const encoder = new ChunkEncoder(fallback, false);
    encoder.encode({ type: 'text-delta', choice: 0, text: 'a' });
    encoder.encode({ type: 'response-meta', model: 'gpt-later' });
    const [next] = encoder.encode({ type: 'text-delta', choice: 0, text: 'b' });
    expect(JSON.parse(next!)).toMatchObject({ model: 'gpt-later', choices: [{ delta: { content: 'b' } }] });
  });
});
