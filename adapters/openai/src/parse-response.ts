import {
  GatewayError,
  type CanonicalChatResponse,
  type CanonicalChoice,
  type ChoiceLogprobs,
  type ResponseMeta,
  type ToolCall,
} from '@portcullis/core';
import { mapFinishReason } from './finish-reason';
import { mapUsage } from './usage';
import { argumentsText, asArray, asNumber, asString, contentText, isRecord, type WireRecord } from './wire';

const badResponse = (why: string): GatewayError =>
  new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { details: { why } });

function parseToolCalls(raw: unknown): ToolCall[] {
  return asArray(raw)
    .filter(isRecord)
    .map((call, position) => {
      const fn = isRecord(call.function) ? call.function : {};
      return {
        id: asString(call.id) ?? `call_${position}`,
        type: 'function' as const,
        function: { name: asString(fn.name) ?? '', arguments: argumentsText(fn.arguments) },
      };
    });
}

/** Logprobs are OpenAI's own shape already; pass them through, normalising absent lists. */
export function parseLogprobs(raw: unknown): ChoiceLogprobs | null | undefined {
  if (raw === null) return null;
  if (!isRecord(raw)) return undefined;
  const logprobs: ChoiceLogprobs = { content: Array.isArray(raw.content) ? (raw.content as ChoiceLogprobs['content']) : null };
  if ('refusal' in raw) logprobs.refusal = Array.isArray(raw.refusal) ? (raw.refusal as ChoiceLogprobs['refusal']) : null;
  return logprobs;
}

function parseChoice(raw: WireRecord, position: number): CanonicalChoice {
  const message = isRecord(raw.message) ? raw.message : {};
  const choice: CanonicalChoice = {
    index: asNumber(raw.index) ?? position,
    message: { role: 'assistant', content: contentText(message.content) },
    finishReason: mapFinishReason(raw.finish_reason),
  };
  const toolCalls = parseToolCalls(message.tool_calls);
  if (toolCalls.length > 0) choice.message.tool_calls = toolCalls;
  if ('refusal' in message) choice.message.refusal = asString(message.refusal) ?? null;
  const logprobs = parseLogprobs(raw.logprobs);
  if (logprobs !== undefined) choice.logprobs = logprobs;
  return choice;
}

/** A chat.completion JSON body -> the canonical response. */
export function parseChatCompletion(body: unknown, meta: ResponseMeta): CanonicalChatResponse {
  if (!isRecord(body)) throw badResponse('body is not a JSON object');
  if (isRecord(body.error)) throw badResponse('a 200 response carried an error envelope');
  if (!Array.isArray(body.choices)) throw badResponse('body has no choices array');
  const response: CanonicalChatResponse = {
    id: asString(body.id) ?? '',
    created: asNumber(body.created) ?? Math.floor(Date.now() / 1000),
    model: asString(body.model) || meta.target.model,
    choices: body.choices.filter(isRecord).map(parseChoice),
  };
  const usage = mapUsage(body.usage);
  if (usage !== undefined) response.usage = usage;
  if ('system_fingerprint' in body) response.systemFingerprint = asString(body.system_fingerprint) ?? null;
  if ('service_tier' in body) response.serviceTier = asString(body.service_tier) ?? null;
  return response;
}
