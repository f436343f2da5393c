import {
  GatewayError,
  type EmbeddingsAdapter,
  type EmbeddingsRequest,
  type EmbeddingsResponse,
  type ResponseMeta,
  type Target,
  type UpstreamRequest,
  type Warning,
} from '@portcullis/core';
import { geminiHeaders, geminiUrl, modelResourceName } from './endpoint';
import { asNumber, isRecord } from './narrow';

/**
 * Embeddings: one string -> `:embedContent`, a list -> `:batchEmbedContents` (one request per
 * input, same model). OpenAI `dimensions` -> `outputDimensionality`.
 *
 * Gemini's embedding endpoints report no token usage. parseResponse only sees the response,
 * not the inputs, so it cannot even estimate: usage is 0 unless Gemini sends
 * `usageMetadata.promptTokenCount`, and buildRequest says so in a warning.
 */
export function buildEmbeddingsRequest(req: EmbeddingsRequest, target: Target): UpstreamRequest {
  const inputs = textInputs(req.input);
  const warnings: Warning[] = [
    { type: 'other', setting: 'usage', message: 'Gemini does not report token usage for embeddings; usage is reported as 0.' },
  ];
  const one = (text: string): Record<string, unknown> => {
    const request: Record<string, unknown> = { content: { parts: [{ text }] } };
    if (req.dimensions !== undefined) request.outputDimensionality = req.dimensions;
    return request;
  };
  const single = typeof req.input === 'string';
  const body = single
    ? one(inputs[0]!)
    : { requests: inputs.map((text) => ({ model: decodeURIComponent(modelResourceName(target.model)), ...one(text) })) };
  return {
    method: 'POST',
    url: geminiUrl(target, single ? 'embedContent' : 'batchEmbedContents'),
    headers: geminiHeaders(target, false),
    body: JSON.stringify(body),
    warnings,
  };
}

function textInputs(input: EmbeddingsRequest['input']): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item): item is string => typeof item === 'string')) return input;
  throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', {
    message: 'Gemini embeddings take text: `input` must be a string or a non-empty array of strings (token arrays are not supported).',
    param: 'input',
  });
}

const valuesOf = (embedding: unknown): number[] | undefined =>
  isRecord(embedding) && Array.isArray(embedding.values) && embedding.values.every((v) => typeof v === 'number')
    ? (embedding.values as number[])
    : undefined;

export function parseEmbeddingsResponse(body: unknown, meta: ResponseMeta): EmbeddingsResponse {
  const embeddings = isRecord(body) ? (Array.isArray(body.embeddings) ? body.embeddings : body.embedding !== undefined ? [body.embedding] : undefined) : undefined;
  const vectors = embeddings?.map(valuesOf);
  if (!vectors || vectors.some((v) => v === undefined))
    throw new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { message: 'Gemini returned an embeddings response the gateway could not read.' });
  const reported = isRecord(body) && isRecord(body.usageMetadata) ? asNumber(body.usageMetadata.promptTokenCount) : undefined;
  const tokens = reported ?? 0;
  return {
    model: meta.target.model,
    data: vectors.map((embedding, index) => ({ index, embedding: embedding! })),
    usage: { inputTokens: tokens, totalTokens: tokens },
  };
}

export const geminiEmbeddings: EmbeddingsAdapter = {
  buildRequest: buildEmbeddingsRequest,
  parseResponse: parseEmbeddingsResponse,
};
