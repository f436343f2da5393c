import { ADAPTER_SPEC_VERSION, type CanonicalChatRequest, type ProviderAdapter, type Target, type UpstreamRequest } from '@portcullis/core';
import { joinUrl } from './base-url';
import { createEmbeddingsAdapter } from './embeddings';
import { parseChatCompletion } from './parse-response';
import { OPENAI_COMPATIBLE_PRESETS, type OpenAICompatiblePreset } from './presets';
import { buildChatBody } from './request-body';
import { createOpenAIStreamDecoder } from './stream-decoder';
import { mapOpenAIError } from './upstream-errors';

function authHeaders(preset: OpenAICompatiblePreset, target: Target): Record<string, string> {
  const headers: Record<string, string> = {};
  const secret = target.credential.secret;
  if (secret.length > 0 || preset.requiresKey) headers.authorization = `Bearer ${secret}`;
  if (preset.organizationHeaders) {
    const { organization, project } = target.credential.options;
    if (organization) headers['openai-organization'] = organization;
    if (project) headers['openai-project'] = project;
  }
  return headers;
}

const baseUrlOf = (preset: OpenAICompatiblePreset, target: Target): string => target.baseUrl ?? preset.defaultBaseUrl;

/** One adapter implementation; each OpenAI-compatible vendor is a row in the preset table. */
export function createOpenAICompatibleAdapter(preset: OpenAICompatiblePreset): ProviderAdapter {
  const adapter: ProviderAdapter = {
    specVersion: ADAPTER_SPEC_VERSION,
    providers: [preset.id],
    capabilities: preset.capabilities,
    buildRequest(req: CanonicalChatRequest, target: Target): UpstreamRequest {
      const { body, warnings } = buildChatBody(req, {
        model: target.model,
        acceptsStreamOptions: preset.acceptsStreamOptions,
        params: preset.params,
        rejectsMessageName: preset.rejectsMessageName ?? false,
      });
      return {
        method: 'POST',
        url: joinUrl(baseUrlOf(preset, target), 'chat/completions'),
        headers: {
          'content-type': 'application/json',
          accept: req.stream ? 'text/event-stream' : 'application/json',
          ...authHeaders(preset, target),
        },
        body: JSON.stringify(body),
        warnings,
      };
    },
    parseResponse: parseChatCompletion,
    createStreamDecoder: () => createOpenAIStreamDecoder(),
    mapError: mapOpenAIError,
  };
  if (preset.embeddings) {
    adapter.embeddings = createEmbeddingsAdapter({
      url: (target) => joinUrl(baseUrlOf(preset, target), 'embeddings'),
      headers: (target) => authHeaders(preset, target),
      sendsModel: true,
    });
  }
  return adapter;
}

/** All preset adapters, in table order. */
export const createOpenAICompatibleAdapters = (): ProviderAdapter[] => OPENAI_COMPATIBLE_PRESETS.map(createOpenAICompatibleAdapter);
