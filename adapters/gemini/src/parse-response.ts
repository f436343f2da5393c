import { GatewayError, type CanonicalChatResponse, type CanonicalChoice, type ResponseMeta } from '@portcullis/core';
import { mapFinishReason } from './finish-reason';
import { mapLogprobs } from './logprobs';
import { asNumber, asString, isRecord } from './narrow';
import { createCallIds, readParts, toToolCall } from './parts';
import { mapUsage } from './usage';

/**
 * GenerateContentResponse -> canonical response.
 *
 * A prompt Gemini refuses outright comes back as 200 with `promptFeedback.blockReason` and no
 * candidates. We answer that as one choice with `content: null` and finish reason
 * `content_filter` (raw = the block reason), plus a warning: the same shape OpenAI clients
 * already handle for filtered output, instead of an error that would be retried or a crash.
 */
export function parseGeminiResponse(body: unknown, meta: ResponseMeta): CanonicalChatResponse {
  if (!isRecord(body))
    throw new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { message: 'Gemini returned a response body that is not a JSON object.' });

  const nextId = createCallIds();
  const candidates = Array.isArray(body.candidates) ? body.candidates.filter(isRecord) : [];
  const choices: CanonicalChoice[] = candidates.map((candidate, position) => {
    const content = isRecord(candidate.content) ? candidate.content : {};
    const { text, calls } = readParts(content.parts, nextId);
    const choice: CanonicalChoice = {
      index: asNumber(candidate.index) ?? position,
      message: { role: 'assistant', content: text.length > 0 ? text.join('') : null },
      finishReason: mapFinishReason(asString(candidate.finishReason), calls.length > 0),
    };
    if (calls.length > 0) choice.message.tool_calls = calls.map(toToolCall);
    const logprobs = mapLogprobs(candidate.logprobsResult);
    if (logprobs) choice.logprobs = logprobs;
    return choice;
  });

  const response: CanonicalChatResponse = {
    id: asString(body.responseId) ?? '',
    // Gemini reports no creation time; 0 means "unknown" and the gateway stamps its own.
    created: 0,
    model: asString(body.modelVersion) ?? meta.target.model,
    choices,
  };

  const blockReason = isRecord(body.promptFeedback) ? asString(body.promptFeedback.blockReason) : undefined;
  if (choices.length === 0 && blockReason !== undefined) {
    response.choices = [
      { index: 0, message: { role: 'assistant', content: null }, finishReason: { unified: 'content_filter', raw: blockReason } },
    ];
    response.warnings = [{ type: 'other', message: `Gemini blocked the prompt (${blockReason}); no answer was generated.` }];
  } else if (choices.length === 0) {
    throw new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { message: 'Gemini returned no candidates and no block reason.' });
  }

  const usage = mapUsage(body.usageMetadata);
  if (usage) response.usage = usage;
  return response;
}
