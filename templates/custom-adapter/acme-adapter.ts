import { ADAPTER_SPEC_VERSION, type ProviderAdapter } from '@portcullis/core';
import { buildAcmeRequest } from './build-request';
import { mapAcmeError } from './map-error';
import { parseAcmeResponse } from './parse-response';
import { createAcmeStreamDecoder } from './stream-decoder';

/** The adapter: pure translation. Core owns transport, retries, SSE framing and fallbacks. */
export function createAcmeAdapter(): ProviderAdapter {
  return {
    specVersion: ADAPTER_SPEC_VERSION,
    providers: ['acme'],
    buildRequest: buildAcmeRequest,
    parseResponse: parseAcmeResponse,
    createStreamDecoder: () => createAcmeStreamDecoder(),
    mapError: mapAcmeError,
    capabilities: { streaming: true, tools: false, images: false, json_mode: false, json_schema: false, logprobs: false, n: false, seed: false, embeddings: false },
  };
}
