import type { Usage } from '@portcullis/core';
import { asNumber, isRecord } from './narrow';

/**
 * usageMetadata -> canonical Usage. Gemini counts thinking tokens apart from the answer
 * (`thoughtsTokenCount` is not inside `candidatesTokenCount`) but bills them as output, so
 * outputTokens is their sum and reasoningTokens says how much of it was thinking.
 */
export function mapUsage(metadata: unknown): Usage | undefined {
  if (!isRecord(metadata)) return undefined;
  const prompt = asNumber(metadata.promptTokenCount) ?? 0;
  const candidates = asNumber(metadata.candidatesTokenCount) ?? 0;
  const thoughts = asNumber(metadata.thoughtsTokenCount);
  const cached = asNumber(metadata.cachedContentTokenCount);
  const outputTokens = candidates + (thoughts ?? 0);
  const usage: Usage = {
    inputTokens: prompt,
    outputTokens,
    totalTokens: asNumber(metadata.totalTokenCount) ?? prompt + outputTokens,
  };
  if (cached !== undefined) usage.cachedInputTokens = cached;
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}
