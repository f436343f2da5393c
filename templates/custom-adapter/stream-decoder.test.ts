import { createAcmeStreamDecoder } from './stream-decoder';

const sse = (event: string, data: string) => ({ kind: 'sse' as const, event, data });

describe('createAcmeStreamDecoder', () => {
  it('turns an in-band error event into one error part, then ignores the rest', () => {
    const decoder = createAcmeStreamDecoder();
    expect(decoder.push(sse('delta', '{"text":"a"}'))).toEqual([{ type: 'text-delta', choice: 0, text: 'a' }]);
    expect(decoder.push(sse('error', '{"error":{"kind":"overloaded","message":"busy"}}'))).toEqual([
      { type: 'error', error: { code: 'GW_ERR_UPSTREAM_OVERLOADED', message: expect.stringContaining('busy'), retryable: true } },
    ]);
    expect(decoder.push(sse('delta', '{"text":"b"}'))).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('reports a stream cut before its end event', () => {
    const decoder = createAcmeStreamDecoder();
    decoder.push(sse('delta', '{"text":"a"}'));
    expect(decoder.end()).toEqual([{ type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', message: expect.any(String), retryable: true } }]);
  });

  it.each([
    ['not JSON', '{"text": nope'],
    ['not an object', '"text"'],
  ])('reports an event whose data is %s', (_name, data) => {
    expect(createAcmeStreamDecoder().push(sse('delta', data))).toEqual([
      { type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', message: expect.any(String), retryable: true } },
    ]);
  });

  it('ignores unknown events, empty deltas and binary messages', () => {
    const decoder = createAcmeStreamDecoder();
    expect(decoder.push(sse('ping', '{}'))).toEqual([]);
    expect(decoder.push(sse('delta', '{"text":""}'))).toEqual([]);
    expect(decoder.push({ kind: 'message', headers: {}, payload: new Uint8Array([1]) })).toEqual([]);
  });
});
