import { GatewayError, type EmbeddingsRequest, type EmbeddingsResponse } from '@portcullis/core';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  if (!isObject(body)) throw new GatewayError('GW_ERR_REQUEST_INVALID', { message: 'The request body must be a JSON object.' });
  if (typeof body['model'] !== 'string' || body['model'] === '') throw new GatewayError('GW_ERR_MODEL_MISSING', { param: 'model' });
  const input = body['input'];
  const ok =
    (typeof input === 'string' && input.length > 0) ||
    (Array.isArray(input) &&
      input.length > 0 &&
      input.length <= 2048 &&
      (input.every((x) => typeof x === 'string' && x.length > 0) ||
        input.every((x) => typeof x === 'number' && Number.isInteger(x)) ||
        input.every((x) => Array.isArray(x) && x.length > 0 && x.every((y) => typeof y === 'number' && Number.isInteger(y)))));
  if (!ok)
    throw new GatewayError('GW_ERR_REQUEST_INVALID', {
      param: 'input',
      message: "Invalid 'input': expected a non-empty string, an array of up to 2048 non-empty strings, or token arrays.",
    });
  const format = body['encoding_format'];
  if (format !== undefined && format !== 'float' && format !== 'base64')
    throw new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'encoding_format', message: "Invalid 'encoding_format': expected float or base64." });
  const dims = body['dimensions'];
  if (dims !== undefined && (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1))
    throw new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'dimensions', message: "Invalid 'dimensions': expected a positive integer." });
  return body as unknown as EmbeddingsRequest;
}

/** Little-endian float32 bytes, base64: exactly what OpenAI returns for encoding_format=base64. */
export function floatsToBase64(values: number[]): string {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

export function encodeEmbeddings(res: EmbeddingsResponse, format: 'float' | 'base64'): Record<string, unknown> {
  return {
    object: 'list',
    data: res.data.map((d) => ({ object: 'embedding', index: d.index, embedding: format === 'base64' ? floatsToBase64(d.embedding) : d.embedding })),
    model: res.model,
    usage: { prompt_tokens: res.usage.inputTokens, total_tokens: res.usage.totalTokens },
  };
}
