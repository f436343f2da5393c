import {
  GatewayError,
  type EmbeddingsAdapter,
  type EmbeddingsRequest,
  type EmbeddingsResponse,
  type ResponseMeta,
  type Target,
} from '@portcullis/core';
import { asArray, asNumber, asString, isRecord } from './wire';

/** Where and how to send an embeddings request; each adapter supplies its own. */
export interface EmbeddingsEndpoint {
  url(target: Target): string;
  headers(target: Target): Record<string, string>;
  /** Azure names the deployment in the URL and takes no `model` in the body. */
  sendsModel: boolean;
}

/** Base64 embeddings are little-endian float32 arrays (what OpenAI sends for `base64`). */
export function decodeBase64Embedding(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.byteLength; offset += 4) out.push(view.getFloat32(offset, true));
  return out;
}

export function parseEmbeddings(body: unknown, meta: ResponseMeta): EmbeddingsResponse {
  if (!isRecord(body) || !Array.isArray(body.data)) {
    throw new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { details: { why: 'embeddings body has no data array' } });
  }
  const data = body.data.filter(isRecord).map((item, position) => {
    const raw = item.embedding;
    // Floats are always requested, but a vendor may still answer base64: decode it.
    const embedding = typeof raw === 'string' ? decodeBase64Embedding(raw) : asArray(raw).filter((v): v is number => typeof v === 'number');
    return { index: asNumber(item.index) ?? position, embedding };
  });
  data.sort((a, b) => a.index - b.index);
  const usage = isRecord(body.usage) ? body.usage : {};
  const inputTokens = asNumber(usage.prompt_tokens) ?? 0;
  return {
    model: asString(body.model) || meta.target.model,
    data,
    usage: { inputTokens, totalTokens: asNumber(usage.total_tokens) ?? inputTokens },
  };
}

export function createEmbeddingsAdapter(endpoint: EmbeddingsEndpoint): EmbeddingsAdapter {
  return {
    buildRequest(req: EmbeddingsRequest, target: Target) {
      const body: Record<string, unknown> = { ...req, encoding_format: 'float' };
      if (endpoint.sendsModel) body.model = target.model;
      else delete body.model;
      return {
        method: 'POST',
        url: endpoint.url(target),
        headers: { 'content-type': 'application/json', ...endpoint.headers(target) },
        body: JSON.stringify(body),
        warnings: [],
      };
    },
    parseResponse: parseEmbeddings,
  };
}
