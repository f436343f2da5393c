import { GatewayError, type CanonicalChatRequest, type ChatMessage, type Target, type UpstreamRequest, type Warning } from '@portcullis/core';
import type { AcmeGenerateRequest, AcmeTurn } from './wire-types';

export const DEFAULT_BASE_URL = 'https://api.acme.example/v2';

/** Settings Acme has no equivalent for: sent without them, and said so as warnings. */
const IGNORED_SETTINGS = ['top_p', 'seed', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'user', 'service_tier'] as const;

const unsupported = (param: string, what: string): GatewayError =>
  new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', { param, message: `Acme does not support ${what}.` });

/** Text of a message; anything that is not text (images, audio, files) is refused, not dropped. */
function textOf(message: ChatMessage, index: number): string {
  const content = message.content;
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, p) => {
      if (part.type !== 'text') throw unsupported(`messages[${index}].content[${p}]`, `${part.type} content`);
      return part.text;
    })
    .join('');
}

function convertMessages(messages: ChatMessage[]): { system?: string; turns: AcmeTurn[] } {
  const system: string[] = [];
  const turns: AcmeTurn[] = [];
  messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(textOf(message, i));
        break;
      case 'user':
        turns.push({ speaker: 'human', text: textOf(message, i) });
        break;
      case 'assistant':
        if (message.tool_calls?.length) throw unsupported(`messages[${i}].tool_calls`, 'tool calls');
        turns.push({ speaker: 'bot', text: textOf(message, i) });
        break;
      case 'tool':
        throw unsupported(`messages[${i}].role`, 'tool messages');
    }
  });
  return system.length > 0 ? { system: system.join('\n\n'), turns } : { turns };
}

/** Pure: canonical (OpenAI-shaped) request -> Acme HTTP request. */
export function buildAcmeRequest(req: CanonicalChatRequest, target: Target): UpstreamRequest {
  if (req.tools?.length) throw unsupported('tools', 'tools');
  if (req.response_format && req.response_format.type !== 'text') throw unsupported('response_format', `response_format ${req.response_format.type}`);
  if (req.n != null && req.n > 1) throw unsupported('n', 'several choices (n > 1)');
  if (req.logprobs) throw unsupported('logprobs', 'logprobs');

  const body: AcmeGenerateRequest = { model: target.model, ...convertMessages(req.messages), stream: req.stream === true };
  const maxOutput = req.max_completion_tokens ?? req.max_tokens;
  if (maxOutput != null) body.max_output = maxOutput;
  if (req.temperature != null) body.temperature = req.temperature;
  if (req.stop != null) body.stop = typeof req.stop === 'string' ? [req.stop] : req.stop;

  const warnings: Warning[] = IGNORED_SETTINGS.filter((s) => req[s] != null).map((setting) => ({
    type: 'unsupported-setting',
    setting,
    message: `Acme has no ${setting}; it was not sent.`,
  }));
  return {
    method: 'POST',
    url: `${(target.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '')}/generate`,
    // The secret travels only in a header, never in the URL or body.
    headers: {
      'content-type': 'application/json',
      'x-acme-key': target.credential.secret,
      ...(body.stream ? { accept: 'text/event-stream' } : {}),
    },
    body: JSON.stringify(body),
    warnings,
  };
}
