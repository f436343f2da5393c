import { GatewayError, upstreamSafeToolId, type ChatMessage, type JsonObject, type TextContentPart, type ToolCall, type Warning } from '@portcullis/core';
import { isRecord } from './narrow';
import { convertUserContent, textBlocks } from './convert-user-content';
import type { AnthropicContentBlock, AnthropicMessage, AnthropicTextBlock, AnthropicToolUseBlock } from './wire-types';

export interface ConvertedMessages {
  /** Every system/developer message, in order, as top-level `system` text blocks. */
  system: AnthropicTextBlock[];
  /** Strictly alternating user/assistant turns. */
  messages: AnthropicMessage[];
  warnings: Warning[];
}

const partsText = (content: string | TextContentPart[] | null | undefined): string =>
  content == null ? '' : typeof content === 'string' ? content : content.map((p) => p.text).join('');

const partsToBlocks = (content: string | TextContentPart[] | null | undefined): AnthropicTextBlock[] =>
  content == null ? [] : typeof content === 'string' ? textBlocks(content) : content.flatMap((p) => textBlocks(p.text));

/** Anthropic wants the call's input as an object; OpenAI carries it as a JSON string. */
function parseToolArguments(call: ToolCall, messageIndex: number, callIndex: number): JsonObject {
  const raw = call.function.arguments;
  // OpenAI clients send "" for functions without parameters.
  if (raw.trim() === '') return {};
  const where = `messages[${messageIndex}].tool_calls[${callIndex}].function.arguments`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new GatewayError('GW_ERR_REQUEST_INVALID', { message: `${where} is not valid JSON.`, param: 'messages' });
  }
  if (!isRecord(parsed))
    throw new GatewayError('GW_ERR_REQUEST_INVALID', { message: `${where} must be a JSON object.`, param: 'messages' });
  return parsed as JsonObject;
}

function toolUseBlocks(calls: ToolCall[] | undefined, messageIndex: number): AnthropicToolUseBlock[] {
  return (calls ?? []).map((call, callIndex) => ({
    type: 'tool_use',
    id: upstreamSafeToolId(call.id),
    name: call.function.name,
    input: parseToolArguments(call, messageIndex, callIndex),
  }));
}

/**
 * Canonical (OpenAI) messages -> Anthropic `system` + alternating turns:
 *  - system/developer messages are hoisted to `system` (Anthropic has no mid-conversation system
 *    role; a warning says so when one appeared after the conversation started);
 *  - tool messages become `tool_result` blocks in a user turn;
 *  - consecutive turns of the same role are merged, because Anthropic requires alternation
 *    (this also gathers parallel tool results into one user turn, as Anthropic expects).
 */
export function convertMessages(messages: ChatMessage[]): ConvertedMessages {
  const system: AnthropicTextBlock[] = [];
  const turns: AnthropicMessage[] = [];
  const warnings: Warning[] = [];
  let conversationStarted = false;

  const append = (role: AnthropicMessage['role'], blocks: AnthropicContentBlock[]): void => {
    conversationStarted = true;
    if (blocks.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: [...blocks] });
  };

  messages.forEach((message, index) => {
    switch (message.role) {
      case 'system':
      case 'developer':
        if (conversationStarted && !warnings.some((w) => w.setting === 'messages'))
          warnings.push({
            type: 'other',
            setting: 'messages',
            message: 'Anthropic has no mid-conversation system role; later system messages were moved to the top-level system prompt.',
          });
        system.push(...partsToBlocks(message.content));
        return;
      case 'user':
        append('user', convertUserContent(message.content));
        return;
      case 'assistant':
        append('assistant', [...textBlocks(partsText(message.content)), ...toolUseBlocks(message.tool_calls, index)]);
        return;
      case 'tool':
        append('user', [
          {
            type: 'tool_result',
            tool_use_id: upstreamSafeToolId(message.tool_call_id),
            content: typeof message.content === 'string' ? message.content : partsToBlocks(message.content),
          },
        ]);
        return;
      default:
        throw new GatewayError('GW_ERR_REQUEST_INVALID', {
          message: `messages[${index}].role "${String((message as { role?: unknown }).role)}" is not supported.`,
          param: 'messages',
        });
    }
  });

  return { system, messages: turns, warnings };
}
