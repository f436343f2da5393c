import { ADAPTER_SPEC_VERSION, type ProviderAdapter } from '@portcullis/core';
import { buildMessagesRequest } from './build-request';
import { mapAnthropicError } from './map-error';
import { parseMessagesResponse } from './parse-response';
import { createMessagesStreamDecoder } from './stream-decoder';

export interface AnthropicAdapterOptions {
  /** Provider ids served (default `['anthropic']`); e.g. a second id for another account's base URL. */
  providers?: readonly string[];
  /** Clock in epoch ms: `created` fallback and Retry-After dates. Injected so tests are deterministic. */
  now?: () => number;
}

/** The Anthropic Messages API adapter: pure translation, no I/O. */
export function createAnthropicAdapter(options: AnthropicAdapterOptions = {}): ProviderAdapter {
  const now = options.now ?? Date.now;
  return {
    specVersion: ADAPTER_SPEC_VERSION,
    providers: options.providers ?? ['anthropic'],
    buildRequest: (req, target) => buildMessagesRequest(req, target),
    parseResponse: (body, meta) => parseMessagesResponse(body, meta, now()),
    createStreamDecoder: () => createMessagesStreamDecoder(),
    mapError: (status, body, headers) => mapAnthropicError(status, body, headers, now()),
    capabilities: {
      tools: true,
      streaming: true,
      images: true,
      // json_object is only emulated (system instruction); json_schema is native structured output.
      json_mode: false,
      json_schema: true,
      logprobs: false,
      n: false,
      seed: false,
      embeddings: false,
    },
  };
}
