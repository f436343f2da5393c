import type { ChoiceLogprobs, TokenLogprob } from '@portcullis/core';
import { asNumber, asString, isRecord } from './narrow';

const utf8 = new TextEncoder();

/**
 * logprobsResult -> OpenAI logprobs: `chosenCandidates[i]` is the sampled token at step i and
 * `topCandidates[i].candidates` the alternatives at that step.
 */
export function mapLogprobs(result: unknown): ChoiceLogprobs | undefined {
  if (!isRecord(result) || !Array.isArray(result.chosenCandidates)) return undefined;
  const top = Array.isArray(result.topCandidates) ? result.topCandidates : [];
  const content: TokenLogprob[] = result.chosenCandidates.filter(isRecord).map((chosen, step) => {
    const token = asString(chosen.token) ?? '';
    const step_ = top[step];
    const alternatives = isRecord(step_) && Array.isArray(step_.candidates) ? step_.candidates.filter(isRecord) : [];
    return {
      token,
      logprob: asNumber(chosen.logProbability) ?? 0,
      bytes: Array.from(utf8.encode(token)),
      top_logprobs: alternatives.map((alt) => {
        const altToken = asString(alt.token) ?? '';
        return { token: altToken, logprob: asNumber(alt.logProbability) ?? 0, bytes: Array.from(utf8.encode(altToken)) };
      }),
    };
  });
  return { content };
}
