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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      req.resume();
      throw new GatewayError('GW_ERR_REQUEST_TOO_LARGE', { message: `The request body is larger than the ${limitBytes}-byte limit.` });
    }
    chunks.push(chunk);
  }
  if (size === 0) throw new GatewayError('GW_ERR_REQUEST_INVALID_JSON', { message: 'The request body is empty; send a JSON object.' });
  const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new GatewayError('GW_ERR_REQUEST_INVALID_JSON', {
      message: `We could not parse the JSON body of your request: ${(err as Error).message}`,
    });
  }
}
