import { GatewayError, type CanonicalChatResponse, type ResponseMeta, type ToolCall } from '@portcullis/core';
import { toFinishReason } from './finish-reason';
import { isRecord, readUsage, stringField } from './narrow';
import { toCanonicalUsage } from './usage';

const badResponse = (why: string): GatewayError =>
  new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { message: `The Anthropic response could not be read: ${why}.` });

/**
 * Anthropic messages carry no creation time; the upstream's own `date` header is the best
 * source, the gateway clock the fallback.
 */
function createdSeconds(headers: Headers, now: number): number {
  const date = Date.parse(headers.get('date') ?? '');
  return Math.floor((Number.isNaN(date) ? now : date) / 1000);
}

/** A Messages API `message` -> canonical response (one choice). */
export function parseMessagesResponse(body: unknown, meta: ResponseMeta, now: number): CanonicalChatResponse {
  if (!isRecord(body)) throw badResponse('the body is not a JSON object');
  if (body['type'] !== 'message' || !Array.isArray(body['content'])) throw badResponse('it is not a message object');

  const texts: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of body['content']) {
    if (!isRecord(block)) continue;
    if (block['type'] === 'text') texts.push(stringField(block, 'text') ?? '');
    else if (block['type'] === 'tool_use') {
      const id = stringField(block, 'id');
      const name = stringField(block, 'name');
      if (id === undefined || name === undefined) throw badResponse('a tool_use block lacks its id or name');
      toolCalls.push({ id, type: 'function', function: { name, arguments: JSON.stringify(block['input'] ?? {}) } });
    }
    // thinking, redacted_thinking and server-tool blocks have no OpenAI chat equivalent.
  }

  const text = texts.join('');
  const message: CanonicalChatResponse['choices'][number]['message'] = {
    role: 'assistant',
    content: text.length > 0 ? text : null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;

  const response: CanonicalChatResponse = {
    id: stringField(body, 'id') ?? '',
    created: createdSeconds(meta.headers, now),
    model: stringField(body, 'model') ?? meta.target.model,
    choices: [{ index: 0, message, finishReason: toFinishReason(stringField(body, 'stop_reason')) }],
  };
  const usage = readUsage(body['usage']);
  if (usage) response.usage = toCanonicalUsage(usage);
  return response;
}
