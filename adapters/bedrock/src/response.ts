import {
  GatewayError,
  type CanonicalChatResponse,
  type FinishReason,
  type ResponseMeta,
  type ToolCall,
  type UnifiedFinishReason,
  type Usage,
} from '@portcullis/core';
import type { ConverseUsage } from './converse-types';

const UNIFIED_STOP_REASONS: Record<string, UnifiedFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
};

/** Bedrock stopReason -> unified finish reason; the raw value always travels along. */
export function mapStopReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string') return { unified: 'other', raw: null };
  return { unified: UNIFIED_STOP_REASONS[raw] ?? 'other', raw };
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);

/**
 * Bedrock reports cache reads and writes beside `inputTokens` (which counts only uncached
 * input, as Anthropic does); canonical usage counts them inside inputTokens.
 */
export function mapUsage(usage: ConverseUsage): Usage {
  const cacheRead = count(usage.cacheReadInputTokens);
  const cacheWrite = count(usage.cacheWriteInputTokens);
  const inputTokens = count(usage.inputTokens) + cacheRead + cacheWrite;
  const outputTokens = count(usage.outputTokens);
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    ...(usage.cacheReadInputTokens !== undefined ? { cachedInputTokens: cacheRead } : {}),
    ...(usage.cacheWriteInputTokens !== undefined ? { cacheWriteTokens: cacheWrite } : {}),
  };
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const badResponse = (why: string): GatewayError =>
  new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { details: { provider: 'bedrock', why } });

export interface ResponseClock {
  now(): number;
  newId(): string;
}

export function parseConverseResponse(body: unknown, meta: ResponseMeta, clock: ResponseClock): CanonicalChatResponse {
  if (!isRecord(body)) throw badResponse('body is not a JSON object');
  const output = body.output;
  const message = isRecord(output) ? output.message : undefined;
  if (!isRecord(message) || !Array.isArray(message.content)) throw badResponse('output.message.content is missing');

  let text = '';
  let sawText = false;
  const toolCalls: ToolCall[] = [];
  for (const block of message.content as unknown[]) {
    if (!isRecord(block)) continue;
    if (typeof block.text === 'string') {
      text += block.text;
      sawText = true;
    } else if (isRecord(block.toolUse)) {
      const use = block.toolUse;
      if (typeof use.toolUseId !== 'string' || typeof use.name !== 'string') throw badResponse('toolUse without toolUseId or name');
      toolCalls.push({ id: use.toolUseId, type: 'function', function: { name: use.name, arguments: JSON.stringify(use.input ?? {}) } });
    }
    // reasoningContent, citations, guardContent...: no canonical field yet, so they are not surfaced.
  }

  const requestId = meta.headers.get('x-amzn-requestid');
  const response: CanonicalChatResponse = {
    id: requestId ? `bedrock-${requestId}` : clock.newId(),
    created: Math.floor(clock.now() / 1000),
    model: meta.target.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: sawText ? text : null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        finishReason: mapStopReason(body.stopReason),
      },
    ],
  };
  if (isRecord(body.usage)) response.usage = mapUsage(body.usage as ConverseUsage);
  return response;
}
