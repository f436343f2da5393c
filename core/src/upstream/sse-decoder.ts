import type { FrameDecoder, UpstreamEvent } from '../spec/adapter';

/**
 * Incremental Server-Sent Events parser (WHATWG rules): handles CRLF / CR / LF line ends,
 * multi-line data, comments, and events or multi-byte UTF-8 characters split across chunks.
 */
export function createSseDecoder(): FrameDecoder {
  const utf8 = new TextDecoder('utf-8');
  let buffer = '';
  let data: string[] = [];
  let eventName: string | undefined;
  let eventId: string | undefined;
  let sawCarriageReturn = false;

  const dispatch = (out: UpstreamEvent[]): void => {
    if (data.length > 0) {
      const event: UpstreamEvent = { kind: 'sse', data: data.join('\n') };
      if (eventName !== undefined) event.event = eventName;
      if (eventId !== undefined) event.id = eventId;
      out.push(event);
    }
    data = [];
    eventName = undefined;
  };

  const processLine = (line: string, out: UpstreamEvent[]): void => {
    if (line === '') return dispatch(out);
    if (line.charCodeAt(0) === 58 /* ':' */) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') eventName = value;
    else if (field === 'id') eventId = value;
    // `retry` and unknown fields are ignored by design.
  };

  const drain = (out: UpstreamEvent[]): void => {
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c === 10 /* \n */) {
        if (sawCarriageReturn && i === start) {
          // The \n of a \r\n pair whose \r ended the previous line.
          start = i + 1;
          sawCarriageReturn = false;
          continue;
        }
        processLine(buffer.slice(start, i), out);
        start = i + 1;
        sawCarriageReturn = false;
      } else if (c === 13 /* \r */) {
        processLine(buffer.slice(start, i), out);
        start = i + 1;
        sawCarriageReturn = true;
      } else {
        sawCarriageReturn = false;
      }
    }
    buffer = buffer.slice(start);
  };

  return {
    push(chunk: Uint8Array): UpstreamEvent[] {
      const out: UpstreamEvent[] = [];
      buffer += utf8.decode(chunk, { stream: true });
      drain(out);
      return out;
    },
    end(): UpstreamEvent[] {
      const out: UpstreamEvent[] = [];
      buffer += utf8.decode();
      if (buffer.length > 0) {
        processLine(buffer, out);
        buffer = '';
      }
      dispatch(out);
      return out;
    },
  };
}
