import type { FrameDecoder, UpstreamEvent } from '../spec/adapter';

/**
 * Incremental Server-Sent Events parser (WHATWG rules): handles CRLF / CR / LF line ends,
 * multi-line data, comments, and events or multi-byte UTF-8 characters split across chunks.
 */
export function createSseDecoder(): FrameDecoder {
  const utf8 = new TextDecoder('utf-8');
  let buffer = '';
  /** The event's data so far (lines joined with LF); null until a data field arrives. */
  let data: string | null = null;
  let eventName: string | undefined;
  let eventId: string | undefined;
  let sawCarriageReturn = false;

  const dispatch = (out: UpstreamEvent[]): void => {
    if (data !== null) {
      const event: UpstreamEvent = { kind: 'sse', data };
      if (eventName !== undefined) event.event = eventName;
      if (eventId !== undefined) event.id = eventId;
      out.push(event);
    }
    data = null;
    eventName = undefined;
  };

  const processLine = (line: string, out: UpstreamEvent[]): void => {
    if (line === '') return dispatch(out);
    if (line.charCodeAt(0) === 58 /* ':' */) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') data = data === null ? value : `${data}\n${value}`;
    else if (field === 'event') eventName = value;
    else if (field === 'id') eventId = value;
    // `retry` and unknown fields are ignored by design.
  };

  /**
   * Splits the buffer into lines with indexOf (native scans) rather than a JS loop over every
   * character: a provider stream is mostly long `data:` lines. A line ends at LF, CR or CRLF.
   */
  const drain = (out: UpstreamEvent[]): void => {
    let start = 0;
    if (sawCarriageReturn && buffer.charCodeAt(0) === 10) start = 1; // the LF of a CRLF split across chunks
    sawCarriageReturn = false;
    let cr = buffer.indexOf('\r', start);
    for (;;) {
      const lf = buffer.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      processLine(buffer.slice(start, end), out);
      start = end + 1;
      if (end === cr) {
        if (start === buffer.length) sawCarriageReturn = true;
        else if (buffer.charCodeAt(start) === 10) start++;
      }
    }
    buffer = start === 0 ? buffer : buffer.slice(start);
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
