import { GatewayError, type CanonicalChatRequest, type ChatMessage, type UserMessage } from '@portcullis/core';
import type { CompiledEndpoint } from './compiled-endpoint';
import { renderPrompt } from './render-prompt';
import { outputResponseFormat } from './structured-output';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The optional non-OpenAI `variables` field (sent with the SDK as an extra body field). */
export function variablesFrom(body: unknown): Record<string, unknown> {
  const variables = isObject(body) ? body['variables'] : undefined;
  if (variables === undefined || variables === null) return {};
  if (!isObject(variables)) throw new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'variables', message: "Invalid type for 'variables': expected an object." });
  return variables;
}

/** The last user message, with its text (all text parts joined) rendered through the template. */
function renderLastUserMessage(endpoint: CompiledEndpoint, messages: ChatMessage[], variables: Record<string, unknown>): ChatMessage[] {
  const at = messages.map((m) => m.role).lastIndexOf('user');
  if (at < 0) throw new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'messages', message: 'An endpoint call needs at least one user message; its text is the template input.' });
  const message = messages[at] as UserMessage;
  let rendered: UserMessage;
  if (typeof message.content === 'string') {
    rendered = { ...message, content: renderPrompt(endpoint, message.content, variables) };
  } else {
    const text = message.content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
    const others = message.content.filter((p) => p.type !== 'text');
    // The rendered prompt replaces the text parts; images and files stay after it.
    rendered = { ...message, content: [{ type: 'text', text: renderPrompt(endpoint, text, variables) }, ...others] };
  }
  return messages.map((m, i) => (i === at ? rendered : m));
}

/**
 * An OpenAI chat request aimed at an endpoint (model = slug) -> the request to send: the
 * endpoint's system prompt first, the template applied to the last user message, presets
 * filling what the client left out, and the endpoint's output schema replacing any
 * response_format the client sent.
 */
export function endpointChatRequest(endpoint: CompiledEndpoint, slug: string, model: string, client: CanonicalChatRequest, variables: Record<string, unknown>): CanonicalChatRequest {
  const { config } = endpoint;
  const { variables: _dropped, ...rest } = client as CanonicalChatRequest & { variables?: unknown };
  const messages = renderLastUserMessage(endpoint, rest.messages, variables);
  const out: CanonicalChatRequest = { ...rest, model, messages: config.systemPrompt ? [{ role: 'system', content: config.systemPrompt }, ...messages] : messages };
  if (config.temperature !== undefined && out.temperature == null) out.temperature = config.temperature;
  if (config.max_tokens !== undefined && out.max_tokens == null && out.max_completion_tokens == null) out.max_tokens = config.max_tokens;
  if (config.outputSchema) out.response_format = outputResponseFormat(slug, config.outputSchema);
  return out;
}
