import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { GatewayError } from '../errors/gateway-error';
import { readJsonBody } from './read-body';

/** A request stand-in: a readable body with the headers readJsonBody looks at. */
function fakeRequest(chunks: string[], headers: Record<string, string> = { 'content-type': 'application/json' }): IncomingMessage & Readable {
  const stream = new Readable({ read() {} });
  for (const chunk of chunks) stream.push(Buffer.from(chunk));
  stream.push(null);
  return Object.assign(stream, { headers }) as unknown as IncomingMessage & Readable;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return err instanceof GatewayError ? err.code : `not a GatewayError: ${String(err)}`;
  }
  return 'resolved';
}

describe('readJsonBody', () => {
  it('parses a body sent in one chunk', async () => {
    await expect(readJsonBody(fakeRequest(['{"a":1}']), 1000)).resolves.toEqual({ a: 1 });
  });

  it('joins a body split into many chunks, a multi-byte character split included', async () => {
    const bytes = Buffer.from('{"text":"héllo 👋"}');
    const parts = [bytes.subarray(0, 11), bytes.subarray(11, 20), bytes.subarray(20)];
    const stream = new Readable({ read() {} });
    for (const p of parts) stream.push(p);
    stream.push(null);
    const req = Object.assign(stream, { headers: {} }) as unknown as IncomingMessage;
    await expect(readJsonBody(req, 1000)).resolves.toEqual({ text: 'héllo 👋' });
  });

  it('refuses a declared Content-Length over the limit before reading', async () => {
    const req = fakeRequest(['{}'], { 'content-type': 'application/json', 'content-length': '5000' });
    expect(await codeOf(readJsonBody(req, 1000))).toBe('GW_ERR_REQUEST_TOO_LARGE');
  });

  it('refuses a chunked body once it passes the limit', async () => {
    expect(await codeOf(readJsonBody(fakeRequest(['{"a":"', 'x'.repeat(600), 'x'.repeat(600), '"}']), 1000))).toBe('GW_ERR_REQUEST_TOO_LARGE');
  });

  it('refuses a non-JSON content type', async () => {
    expect(await codeOf(readJsonBody(fakeRequest(['a=1'], { 'content-type': 'application/x-www-form-urlencoded' }), 1000))).toBe(
      'GW_ERR_REQUEST_UNSUPPORTED_MEDIA',
    );
  });

  it('refuses an empty body and a body that is not JSON', async () => {
    expect(await codeOf(readJsonBody(fakeRequest([]), 1000))).toBe('GW_ERR_REQUEST_INVALID_JSON');
    expect(await codeOf(readJsonBody(fakeRequest(['{"a":']), 1000))).toBe('GW_ERR_REQUEST_INVALID_JSON');
  });

  it('rejects rather than hangs when the client goes away mid-body', async () => {
    const stream = new Readable({ read() {} });
    stream.push(Buffer.from('{"a":'));
    const req = Object.assign(stream, { headers: {} }) as unknown as IncomingMessage & Readable;
    const reading = readJsonBody(req, 1000);
    setImmediate(() => stream.destroy());
    await expect(reading).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('treats a body that was already consumed as empty', async () => {
    const req = fakeRequest(['{"a":1}']);
    req.resume();
    await new Promise((resolve) => req.once('end', resolve));
    expect(await codeOf(readJsonBody(req, 1000))).toBe('GW_ERR_REQUEST_INVALID_JSON');
  });
});
