import type { CanonicalChatRequest, ChatMessage, Warning } from '@portcullis/core';
import type { OpenAICompatiblePreset } from './presets';

export interface BuiltBody {
  body: Record<string, unknown>;
  warnings: Warning[];
}

export interface BodyOptions {
  /** Upstream model id; `undefined` leaves `model` out (Azure names the deployment in the URL). */
  model: string | undefined;
  acceptsStreamOptions: boolean;
  params: OpenAICompatiblePreset['params'];
  rejectsMessageName?: boolean;
}

const isSet = (value: unknown): boolean => value !== undefined && value !== null;

function stripMessageNames(messages: ChatMessage[]): { messages: ChatMessage[]; stripped: boolean } {
  let stripped = false;
  const out = messages.map((message) => {
    if (!('name' in message) || message.name === undefined) return message;
    stripped = true;
    const { name: _dropped, ...rest } = message;
    return rest as ChatMessage;
  });
  return { messages: out, stripped };
}

/**
 * The canonical request is OpenAI's shape, so the body is the request itself with the
 * target model, then the vendor's parameter rules applied. Streams always ask for usage
 * (the gateway meters every request; core strips the usage chunk if the client did not ask).
 */
export function buildChatBody(req: CanonicalChatRequest, options: BodyOptions): BuiltBody {
  const warnings: Warning[] = [];
  const body: Record<string, unknown> = { ...req };
  if (options.model === undefined) delete body.model;
  else body.model = options.model;

  if (req.stream === true && options.acceptsStreamOptions) {
    body.stream_options = { ...(req.stream_options ?? {}), include_usage: true };
  } else {
    // OpenAI rejects stream_options on non-streaming requests; vendors without it reject it always.
    delete body.stream_options;
  }

  for (const [param, rule] of Object.entries(options.params)) {
    const value = body[param];
    if (!isSet(value)) continue;
    if (rule === 'drop-unless-one' && value === 1) continue;
    if (typeof rule === 'object') {
      delete body[param];
      if (!isSet(body[rule.renameTo])) body[rule.renameTo] = value;
      continue;
    }
    delete body[param];
    warnings.push({
      type: 'unsupported-setting',
      setting: param,
      message:
        rule === 'drop-unless-one'
          ? `${param}=${JSON.stringify(value)} is not supported by this provider; only 1 is, so it was not sent.`
          : `${param} is not supported by this provider and was not sent.`,
    });
  }

  if (options.rejectsMessageName) {
    const { messages, stripped } = stripMessageNames(req.messages);
    if (stripped) {
      body.messages = messages;
      warnings.push({ type: 'unsupported-setting', setting: 'messages[].name', message: 'messages[].name is not supported by this provider and was removed.' });
    }
  }
  return { body, warnings };
}
