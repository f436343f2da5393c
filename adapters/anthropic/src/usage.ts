import type { Usage } from '@portcullis/core';
import type { AnthropicUsage } from './wire-types';

/**
 * Anthropic reports cache reads and cache writes BESIDE `input_tokens` (which counts only the
 * uncached remainder). The canonical Usage counts them INSIDE inputTokens, as OpenAI does, so
 * totals and cost plugins see every prompt token once.
 */
export function toCanonicalUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const inputTokens = (usage.input_tokens ?? 0) + cacheRead + cacheWrite;
  const outputTokens = usage.output_tokens ?? 0;
  const out: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (cacheRead > 0) out.cachedInputTokens = cacheRead;
  if (cacheWrite > 0) out.cacheWriteTokens = cacheWrite;
  return out;
}

/**
 * Merges stream usage: `message_start` carries the input side, `message_delta` the (cumulative)
 * output side and, on newer API builds, cumulative input counters too. Later non-null values win.
 */
export function mergeUsage(base: AnthropicUsage, update: AnthropicUsage): AnthropicUsage {
  return {
    input_tokens: update.input_tokens ?? base.input_tokens ?? null,
    output_tokens: update.output_tokens ?? base.output_tokens ?? null,
    cache_creation_input_tokens: update.cache_creation_input_tokens ?? base.cache_creation_input_tokens ?? null,
    cache_read_input_tokens: update.cache_read_input_tokens ?? base.cache_read_input_tokens ?? null,
  };
}
