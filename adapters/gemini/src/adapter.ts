import { ADAPTER_SPEC_VERSION, type ProviderAdapter } from '@portcullis/core';
import { buildGeminiRequest } from './build-request';
import { geminiEmbeddings } from './embeddings';
import { mapGeminiError } from './map-error';
import { parseGeminiResponse } from './parse-response';
import { createGeminiStreamDecoder } from './stream-decoder';

/** Google Gemini (Generative Language API v1beta). Pure translation: core owns transport and SSE framing. */
export const geminiAdapter: ProviderAdapter = {
  specVersion: ADAPTER_SPEC_VERSION,
  providers: ['gemini'],
  buildRequest: buildGeminiRequest,
  parseResponse: parseGeminiResponse,
  createStreamDecoder: createGeminiStreamDecoder,
  mapError: mapGeminiError,
  embeddings: geminiEmbeddings,
  capabilities: {
    tools: true,
    streaming: true,
    images: true,
    json_mode: true,
    json_schema: true,
    logprobs: true,
    n: true,
    seed: true,
    embeddings: true,
  },
};
