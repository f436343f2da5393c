import type { CanonicalChatRequest, ChatMessage } from '@portcullis/core';
import type { CompiledEndpoint } from './compiled-endpoint';
import { outputResponseFormat } from './structured-output';

/** The canonical request for one slug call: system prompt, rendered prompt, presets, output schema. */
export function buildChatRequest(endpoint: CompiledEndpoint, slug: string, model: string, prompt: string, stream: boolean): CanonicalChatRequest {
  const { config } = endpoint;
  const messages: ChatMessage[] = [];
  if (config.systemPrompt) messages.push({ role: 'system', content: config.systemPrompt });
  messages.push({ role: 'user', content: prompt });
  const request: CanonicalChatRequest = { model, messages };
  if (config.temperature !== undefined) request.temperature = config.temperature;
  if (config.max_tokens !== undefined) request.max_tokens = config.max_tokens;
  if (config.outputSchema) request.response_format = outputResponseFormat(slug, config.outputSchema);
  if (stream) {
    request.stream = true;
    // The final `done` event reports usage, so ask the upstream for it.
    request.stream_options = { include_usage: true };
  }
  return request;
}
