import type { Usage } from '@portcullis/core';
import { asNumber, isRecord } from './wire';

/**
 * OpenAI usage -> canonical usage. Cached and reasoning tokens are kept when the upstream
 * reports them (they are already counted inside prompt/completion tokens).
 */
export function mapUsage(raw: unknown): Usage | undefined {
  if (!isRecord(raw)) return undefined;
  const inputTokens = asNumber(raw.prompt_tokens) ?? 0;
  const outputTokens = asNumber(raw.completion_tokens) ?? 0;
  const usage: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: asNumber(raw.total_tokens) ?? inputTokens + outputTokens,
  };
  const cached = isRecord(raw.prompt_tokens_details) ? asNumber(raw.prompt_tokens_details.cached_tokens) : undefined;
  if (cached !== undefined) usage.cachedInputTokens = cached;
  const reasoning = isRecord(raw.completion_tokens_details)
    ? asNumber(raw.completion_tokens_details.reasoning_tokens)
    : undefined;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}
