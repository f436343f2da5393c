import type { CanonicalChatRequest, Target, UpstreamRequest, Warning } from '@portcullis/core';
import { convertMessages } from './convert-messages';
import { convertTools } from './convert-tools';
import { mapJsonMode } from './json-mode';
import { checkUnsupportedParams } from './unsupported-params';
import { ANTHROPIC_API_VERSION, ANTHROPIC_DEFAULT_BASE_URL, type AnthropicMessagesRequest } from './wire-types';

/** Anthropic requires max_tokens; OpenAI makes it optional. Used when the client sent none. */
export const DEFAULT_MAX_TOKENS = 4096;

/** Anthropic's temperature range is 0..1; OpenAI's is 0..2. */
const MAX_TEMPERATURE = 1;

/**
 * Accepts both `https://api.anthropic.com` and `https://api.anthropic.com/v1` as base URLs,
 * since both spellings are common in provider configs.
 */
export function messagesUrl(baseUrl: string | undefined): string {
  const base = (baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
}

/**
 * Headers for the Messages API. Credential options may pin another `anthropicVersion` or opt
 * into betas (`anthropicBeta`, comma separated) without code changes.
 */
function headersFor(target: Target): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-api-key': target.credential.secret,
    'anthropic-version': target.credential.options['anthropicVersion'] ?? ANTHROPIC_API_VERSION,
  };
  const beta = target.credential.options['anthropicBeta'];
  if (beta) headers['anthropic-beta'] = beta;
  return headers;
}

export function buildMessagesRequest(req: CanonicalChatRequest, target: Target): UpstreamRequest {
  const warnings: Warning[] = checkUnsupportedParams(req);
  const converted = convertMessages(req.messages);
  warnings.push(...converted.warnings);
  const jsonMode = mapJsonMode(req.response_format);
  warnings.push(...jsonMode.warnings);

  const system = jsonMode.systemBlock ? [...converted.system, jsonMode.systemBlock] : converted.system;
  const body: AnthropicMessagesRequest = {
    model: target.model,
    messages: converted.messages,
    max_tokens: req.max_completion_tokens ?? req.max_tokens ?? DEFAULT_MAX_TOKENS,
  };
  if (system.length > 0) body.system = system;
  if (jsonMode.outputConfig) body.output_config = jsonMode.outputConfig;
  Object.assign(body, convertTools(req));

  if (req.stop != null) {
    const stops = (typeof req.stop === 'string' ? [req.stop] : req.stop).filter((s) => s.length > 0);
    if (stops.length > 0) body.stop_sequences = stops;
  }
  if (req.temperature != null) {
    if (req.temperature > MAX_TEMPERATURE)
      warnings.push({
        type: 'unsupported-setting',
        setting: 'temperature',
        message: `Anthropic's temperature range is 0 to 1; ${req.temperature} was sent as 1.`,
      });
    body.temperature = Math.min(req.temperature, MAX_TEMPERATURE);
  }
  if (req.top_p != null) body.top_p = req.top_p;
  if (req.user) body.metadata = { user_id: req.user };
  if (req.stream) body.stream = true;

  return { method: 'POST', url: messagesUrl(target.baseUrl), headers: headersFor(target), body: JSON.stringify(body), warnings };
}
