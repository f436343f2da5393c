import type { Usage } from '@portcullis/core';

/** Usage as the slug API reports it (snake_case, like the rest of the JSON). */
export interface WireUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cached_input_tokens?: number;
  reasoning_tokens?: number;
}

export function toWireUsage(usage: Usage | null | undefined): WireUsage | null {
  if (!usage) return null;
  const out: WireUsage = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, total_tokens: usage.totalTokens };
  if (usage.cachedInputTokens !== undefined) out.cached_input_tokens = usage.cachedInputTokens;
  if (usage.reasoningTokens !== undefined) out.reasoning_tokens = usage.reasoningTokens;
  return out;
}
