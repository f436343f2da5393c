import { GatewayError, type ChatMessage, type TextContentPart, type UserContentPart, type Warning } from '@portcullis/core';
import type { GeminiContent, GeminiPart, GeminiRole } from './gemini-types';
import { imagePart, parseDataUrl } from './media';
import { isRecord } from './narrow';
import { SKIP_SIGNATURE_VALIDATOR, thoughtSignatureOf } from './thought-signature';

export interface ConvertedMessages {
  systemInstruction?: { parts: { text: string }[] };
  contents: GeminiContent[];
}

const textOf = (content: string | TextContentPart[] | null | undefined): string =>
  content == null ? '' : typeof content === 'string' ? content : content.map((p) => p.text).join('');

/**
 * Canonical (OpenAI) messages -> Gemini `systemInstruction` + `contents`.
 * - system/developer -> systemInstruction (Gemini has exactly one, outside the turns)
 * - assistant -> role 'model'; tool_calls -> functionCall parts
 * - tool -> functionResponse parts in a 'user' turn, named after the call they answer
 * - consecutive turns of one role are merged: Gemini expects user/model to alternate, and
 *   parallel tool results must arrive together in one turn.
 */
export interface ConvertOptions {
  /** The model validates thought signatures on function calls (Gemini 3 and later). */
  requiresThoughtSignatures?: boolean;
}

export function convertMessages(messages: ChatMessage[], warnings: Warning[], options: ConvertOptions = {}): ConvertedMessages {
  const systemParts: { text: string }[] = [];
  const contents: GeminiContent[] = [];
  /** tool_call_id -> function name; later calls win so a reused id maps to the latest call. */
  const toolNames = new Map<string, string>();
  let sawConversation = false;
  let warnedName = false;

  const append = (role: GeminiRole, parts: GeminiPart[]): void => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, i) => {
    if ('name' in message && message.name !== undefined && !warnedName) {
      warnedName = true;
      warnings.push({ type: 'unsupported-setting', setting: 'messages[].name', message: 'Gemini has no participant names; `name` was ignored.' });
    }
    switch (message.role) {
      case 'system':
      case 'developer':
        if (sawConversation)
          warnings.push({
            type: 'other',
            setting: `messages[${i}]`,
            message: 'Gemini takes one system instruction; a later system message was moved into it.',
          });
        systemParts.push({ text: textOf(message.content) });
        return;
      case 'user':
        sawConversation = true;
        append('user', userParts(message.content, warnings));
        return;
      case 'assistant': {
        sawConversation = true;
        const parts: GeminiPart[] = [];
        const text = textOf(message.content);
        if (text.length > 0) parts.push({ text });
        const calls = message.tool_calls ?? [];
        // Gemini 3 checks the first call of every step: send each signature back; a step none of
        // whose calls carries one (history from another model) gets Google's documented skip value.
        const signed = !options.requiresThoughtSignatures || calls.some((call) => thoughtSignatureOf(call.id) !== null);
        calls.forEach((call, c) => {
          toolNames.set(call.id, call.function.name);
          const signature = thoughtSignatureOf(call.id) ?? (!signed && c === 0 ? SKIP_SIGNATURE_VALIDATOR : null);
          parts.push({
            functionCall: { name: call.function.name, args: parseArguments(call.function.arguments, i, warnings) },
            ...(signature === null ? {} : { thoughtSignature: signature }),
          });
        });
        append('model', parts);
        return;
      }
      case 'tool': {
        sawConversation = true;
        const name = toolNames.get(message.tool_call_id);
        if (name === undefined)
          throw new GatewayError('GW_ERR_REQUEST_INVALID', {
            message: `messages[${i}].tool_call_id does not match a tool call of an earlier assistant message.`,
            param: `messages[${i}].tool_call_id`,
          });
        append('user', [{ functionResponse: { name, response: toolResponse(textOf(message.content)) } }]);
        return;
      }
    }
  });

  const out: ConvertedMessages = { contents };
  if (systemParts.length > 0) out.systemInstruction = { parts: systemParts };
  return out;
}

function userParts(content: string | UserContentPart[], warnings: Warning[]): GeminiPart[] {
  if (typeof content === 'string') return [{ text: content }];
  const parts: GeminiPart[] = [];
  for (const part of content) {
    switch (part.type) {
      case 'text':
        parts.push({ text: part.text });
        break;
      case 'image_url': {
        const converted = imagePart(part.image_url.url, warnings);
        if (converted) parts.push(converted);
        if (part.image_url.detail !== undefined && part.image_url.detail !== 'auto')
          warnings.push({ type: 'unsupported-setting', setting: 'image_url.detail', message: 'Gemini has no image detail level; `detail` was ignored.' });
        break;
      }
      case 'input_audio':
        parts.push({ inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } });
        break;
      case 'file': {
        const inline = part.file.file_data ? parseDataUrl(part.file.file_data) : undefined;
        if (inline) parts.push({ inlineData: inline });
        else
          warnings.push({
            type: 'unsupported-setting',
            setting: 'file',
            message: 'Only files sent inline as base64 data URLs are supported by Gemini here; the file was not sent.',
          });
        break;
      }
    }
  }
  return parts;
}

/** Gemini's `args` is a JSON object (proto Struct); OpenAI's is a JSON string. */
function parseArguments(raw: string, index: number, warnings: Warning[]): Record<string, unknown> {
  try {
    const parsed: unknown = raw.trim() === '' ? {} : JSON.parse(raw);
    if (isRecord(parsed)) return parsed;
  } catch {
    // fall through to the warning
  }
  warnings.push({
    type: 'other',
    setting: `messages[${index}].tool_calls`,
    message: 'Tool call arguments were not a JSON object; sent to Gemini as {}.',
  });
  return {};
}

/** `response` must be a JSON object: objects pass as they are, anything else is wrapped. */
function toolResponse(content: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(content);
    return isRecord(parsed) ? parsed : { result: parsed };
  } catch {
    return { result: content };
  }
}
