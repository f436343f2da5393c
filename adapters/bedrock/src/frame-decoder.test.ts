import { EventStreamCodec, Int64, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { GatewayError, type UpstreamEvent } from '@portcullis/core';
import { createEventStreamFrameDecoder } from './frame-decoder';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const frame = (headers: MessageHeaders, payload: string): Uint8Array => codec.encode({ headers, body: fromUtf8(payload) });
const event = (type: string, payload: unknown): Uint8Array =>
  frame({ ':event-type': { type: 'string', value: type }, ':message-type': { type: 'string', value: 'event' } }, JSON.stringify(payload));

const decodeAll = (chunks: Uint8Array[]): UpstreamEvent[] => {
  const decoder = createEventStreamFrameDecoder();
  return [...chunks.flatMap((c) => decoder.push(c)), ...decoder.end()];
};

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err.code;
    throw err;
  }
  return 'no error';
};

describe('createEventStreamFrameDecoder', () => {
  const stream = Buffer.concat([event('messageStart', { role: 'assistant' }), event('contentBlockDelta', { delta: { text: 'é👋' } }), event('messageStop', {})]);

  it('emits one message event per frame with string headers and the raw payload', () => {
    const events = decodeAll([stream]);
    expect(events).toHaveLength(3);
    expect(events[1]).toEqual({ kind: 'message', headers: { ':event-type': 'contentBlockDelta', ':message-type': 'event' }, payload: expect.any(Uint8Array) });
    expect(toUtf8((events[1] as Extract<UpstreamEvent, { kind: 'message' }>).payload)).toBe('{"delta":{"text":"é👋"}}');
  });

  it('gives identical events for three-way splits at every pair of offsets', () => {
    const whole = JSON.stringify(decodeAll([stream]));
    for (let a = 1; a < stream.length; a += 7) {
      for (let b = a; b < stream.length; b += 5) {
        expect(JSON.stringify(decodeAll([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]))).toBe(whole);
      }
    }
  });

  it('renders non-string header types as strings', () => {
    const headers: MessageHeaders = {
      flag: { type: 'boolean', value: true },
      byte: { type: 'byte', value: 7 },
      int: { type: 'integer', value: 70000 },
      long: { type: 'long', value: Int64.fromNumber(-5) },
      bin: { type: 'binary', value: new Uint8Array([1, 2, 3]) },
      when: { type: 'timestamp', value: new Date('2025-01-01T00:00:00.000Z') },
      id: { type: 'uuid', value: '0b6b1e0e-3f4c-4b5e-9c3a-2a9e8f1d7c6b' },
    };
    const [e] = decodeAll([frame(headers, '{}')]);
    expect((e as Extract<UpstreamEvent, { kind: 'message' }>).headers).toEqual({
      flag: 'true',
      byte: '7',
      int: '70000',
      long: '-5',
      bin: 'AQID',
      when: '2025-01-01T00:00:00.000Z',
      id: '0b6b1e0e-3f4c-4b5e-9c3a-2a9e8f1d7c6b',
    });
  });

  it('rejects a frame whose checksum does not match', () => {
    const bad = Uint8Array.from(event('messageStop', {}));
    bad[bad.length - 5] ^= 0xff; // flip a payload byte
    expect(codeOf(() => createEventStreamFrameDecoder().push(bad))).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('rejects an impossible declared length at once instead of buffering', () => {
    const huge = new Uint8Array(12);
    new DataView(huge.buffer).setUint32(0, 0xfffffff0, false);
    expect(codeOf(() => createEventStreamFrameDecoder().push(huge))).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
    const tiny = new Uint8Array(12);
    new DataView(tiny.buffer).setUint32(0, 8, false);
    expect(codeOf(() => createEventStreamFrameDecoder().push(tiny))).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('rejects a stream that ends inside a message', () => {
    const decoder = createEventStreamFrameDecoder();
    expect(decoder.push(stream.subarray(0, stream.length - 3))).toHaveLength(2);
    expect(codeOf(() => decoder.end())).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('accepts empty chunks and an empty stream', () => {
    expect(decodeAll([new Uint8Array(0), new Uint8Array(0)])).toEqual([]);
  });
});
