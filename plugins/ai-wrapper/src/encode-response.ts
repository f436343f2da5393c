import type { CanonicalChatResponse, FinishReason, Usage } from '@portcullis/core';

/** OpenAI's finish_reason enum has no "error"/"other"; those become "stop" (raw value is logged). */
export const openAiFinishReason = (reason: FinishReason): 'stop' | 'length' | 'tool_calls' | 'content_filter' =>
  reason.unified === 'length' || reason.unified === 'tool_calls' || reason.unified === 'content_filter' ? reason.unified : 'stop';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
  completion_tokens_details?: { reasoning_tokens: number };
}

export function encodeUsage(usage: Usage): OpenAIUsage {
  const out: OpenAIUsage = { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.totalTokens };
  if (usage.cachedInputTokens !== undefined) out.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined) out.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return out;
}

/** Canonical response -> OpenAI `chat.completion` JSON. */
export function encodeChatCompletion(res: CanonicalChatResponse, fallbackId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: res.id || fallbackId,
    object: 'chat.completion',
    created: res.created,
    model: res.model,
    choices: res.choices.map((c) => {
      const message: Record<string, unknown> = { role: 'assistant', content: c.message.content, refusal: c.message.refusal ?? null };
      if (c.message.tool_calls && c.message.tool_calls.length > 0) message['tool_calls'] = c.message.tool_calls;
      return { index: c.index, message, logprobs: c.logprobs ?? null, finish_reason: openAiFinishReason(c.finishReason) };
    }),
  };
  if (res.usage) out['usage'] = encodeUsage(res.usage);
  if (res.systemFingerprint !== undefined) out['system_fingerprint'] = res.systemFingerprint;
  if (res.serviceTier) out['service_tier'] = res.serviceTier;
  return out;
}
