import { GatewayError, type CanonicalChatRequest, type Warning } from '@portcullis/core';

const unsupported = (setting: string, message: string): Warning => ({ type: 'unsupported-setting', setting, message });

/**
 * Canonical settings the Messages API has no equivalent for. They are reported as warnings
 * (never silently dropped); `n > 1` changes the shape of the answer, so it is refused outright.
 */
export function checkUnsupportedParams(req: CanonicalChatRequest): Warning[] {
  if (req.n != null && req.n > 1)
    throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', { message: 'Anthropic returns one choice per request; n must be 1.', param: 'n' });

  const warnings: Warning[] = [];
  if (req.logprobs) warnings.push(unsupported('logprobs', 'Anthropic does not return log probabilities.'));
  if (req.top_logprobs != null) warnings.push(unsupported('top_logprobs', 'Anthropic does not return log probabilities.'));
  if (req.seed != null) warnings.push(unsupported('seed', 'Anthropic does not support seeded sampling.'));
  if (req.presence_penalty != null && req.presence_penalty !== 0)
    warnings.push(unsupported('presence_penalty', 'Anthropic does not support presence_penalty.'));
  if (req.frequency_penalty != null && req.frequency_penalty !== 0)
    warnings.push(unsupported('frequency_penalty', 'Anthropic does not support frequency_penalty.'));
  if (req.logit_bias != null && Object.keys(req.logit_bias).length > 0)
    warnings.push(unsupported('logit_bias', 'Anthropic does not support logit_bias.'));
  if (req.reasoning_effort != null)
    warnings.push(unsupported('reasoning_effort', 'reasoning_effort is not mapped to Anthropic extended thinking.'));
  if (req.metadata != null && Object.keys(req.metadata).length > 0)
    warnings.push(unsupported('metadata', 'Anthropic metadata only carries a user id (from `user`); other metadata is not sent.'));
  if (req.service_tier != null && req.service_tier !== 'auto')
    warnings.push(unsupported('service_tier', 'OpenAI service tiers do not apply to Anthropic.'));
  return warnings;
}
