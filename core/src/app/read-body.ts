import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../errors/gateway-error';

/**
 * Reads a JSON body with a hard size limit. Checks Content-Length first so an oversized upload
 * is refused before it is read, and counts bytes while reading for chunked bodies.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/\bjson\b/i.test(type))
    throw new GatewayError('GW_ERR_REQUEST_UNSUPPORTED_MEDIA', { message: `Content-Type must be application/json, got ${type.slice(0, 64)}.` });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes)
    throw new GatewayError('GW_ERR_REQUEST_TOO_LARGE', { message: `The request body is larger than the ${limitBytes}-byte limit.` });
  const text = await readText(req, limitBytes);
  if (text.length === 0) throw new GatewayError('GW_ERR_REQUEST_INVALID_JSON', { message: 'The request body is empty; send a JSON object.' });
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new GatewayError('GW_ERR_REQUEST_INVALID_JSON', {
      message: `We could not parse the JSON body of your request: ${(err as Error).message}`,
    });
  }
}

/**
 * The body as text, counting bytes against the limit as they arrive. Plain 'data'/'end' listeners
 * rather than `for await`: the async iterator costs a promise per chunk and most bodies are one
 * chunk. A client that goes away mid-body rejects (the stream closes without 'end').
 */
function readText(req: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // Already consumed (or torn down) before we got here: there is nothing left to read.
    if (req.readableEnded || req.destroyed) return resolve('');
    let first: Buffer | null = null;
    let rest: Buffer[] | null = null;
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        req.resume(); // drain the rest so the connection can answer
        reject(new GatewayError('GW_ERR_REQUEST_TOO_LARGE', { message: `The request body is larger than the ${limitBytes}-byte limit.` }));
        return;
      }
      if (first === null) first = chunk;
      else (rest ??= [first]).push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      if (first === null) resolve('');
      else resolve(rest === null ? first.toString('utf8') : Buffer.concat(rest, size).toString('utf8'));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(Object.assign(new Error('The client closed the connection before the request body was complete.'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
