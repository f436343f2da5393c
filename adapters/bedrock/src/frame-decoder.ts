import { EventStreamCodec, type MessageHeaderValue } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { GatewayError, type FrameDecoder, type UpstreamEvent } from '@portcullis/core';

/**
 * `application/vnd.amazon.eventstream` framing. Each message starts with a 12-byte prelude:
 * total length (uint32 BE), headers length (uint32 BE), prelude CRC. We buffer until the
 * declared total length has arrived, so a message split at any byte decodes the same; the
 * codec then checks both CRCs and parses the typed headers.
 */
const PRELUDE_BYTES = 12;
const MIN_MESSAGE_BYTES = 16; // prelude + trailing message CRC
/** AWS caps one event-stream message at 16 MiB; a larger prelude means corrupt bytes, not data. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const corrupt = (why: string, cause?: unknown): GatewayError =>
  new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { details: { provider: 'bedrock', why }, ...(cause === undefined ? {} : { cause }) });

/** Header values as strings, whatever their wire type (the stream decoder only needs strings). */
function headerToString(header: MessageHeaderValue): string {
  switch (header.type) {
    case 'string':
    case 'uuid':
      return header.value;
    case 'binary':
      return Buffer.from(header.value).toString('base64');
    case 'timestamp':
      return header.value.toISOString();
    case 'long':
      return header.value.toString();
    default:
      return String(header.value);
  }
}

export function createEventStreamFrameDecoder(): FrameDecoder {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;

  const take = (length: number): Uint8Array => {
    const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    const message = joined.subarray(0, length);
    const rest = joined.subarray(length);
    pending = rest.byteLength > 0 ? [rest] : [];
    pendingBytes = rest.byteLength;
    return message;
  };

  const declaredLength = (): number | undefined => {
    if (pendingBytes < PRELUDE_BYTES) return undefined;
    if (pending[0]!.byteLength < 4) pending = [Buffer.concat(pending, pendingBytes)]; // compact once, not per push
    const head = pending[0]!;
    return new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false);
  };

  return {
    push(chunk) {
      if (chunk.byteLength > 0) {
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
      }
      const events: UpstreamEvent[] = [];
      for (;;) {
        const length = declaredLength();
        if (length === undefined) break;
        // Checked before waiting: a corrupt prelude must not make us buffer up to 4 GiB.
        if (length < MIN_MESSAGE_BYTES || length > MAX_MESSAGE_BYTES) throw corrupt(`message length ${length} out of range`);
        if (pendingBytes < length) break;
        let decoded;
        try {
          // Copy: `take` hands out a view into a buffer that later chunks may share.
          decoded = codec.decode(Uint8Array.from(take(length)));
        } catch (err) {
          throw corrupt('event-stream message failed its checksum or header parse', err);
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(decoded.headers)) headers[name] = headerToString(value);
        events.push({ kind: 'message', headers, payload: decoded.body });
      }
      return events;
    },
    end() {
      if (pendingBytes > 0) throw corrupt(`stream ended inside a message (${pendingBytes} bytes left over)`);
      return [];
    },
  };
}
