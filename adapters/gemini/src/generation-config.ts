import type { CanonicalChatRequest, Warning } from '@portcullis/core';
import type { GeminiGenerationConfig } from './gemini-types';
import { sanitiseSchema } from './schema';

/** OpenAI sampling and output settings -> Gemini `generationConfig` (undefined when nothing is set). */
export function convertGenerationConfig(req: CanonicalChatRequest, warnings: Warning[]): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (req.temperature != null) config.temperature = req.temperature;
  if (req.top_p != null) config.topP = req.top_p;
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens != null) config.maxOutputTokens = maxTokens;
  if (req.stop != null) config.stopSequences = typeof req.stop === 'string' ? [req.stop] : req.stop;
  if (req.seed != null) config.seed = req.seed;
  if (req.n != null) config.candidateCount = req.n;
  if (req.presence_penalty != null) config.presencePenalty = req.presence_penalty;
  if (req.frequency_penalty != null) config.frequencyPenalty = req.frequency_penalty;
  if (req.logprobs) {
    config.responseLogprobs = true;
    if (req.top_logprobs != null) config.logprobs = req.top_logprobs;
  }

  const format = req.response_format;
  if (format?.type === 'json_object') {
    config.responseMimeType = 'application/json';
  } else if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    // responseSchema (OpenAPI subset) works on every Gemini model; responseJsonSchema only on
    // newer ones, so we sanitise and use the former.
    if (format.json_schema.schema !== undefined) {
      const { schema, dropped } = sanitiseSchema(format.json_schema.schema);
      config.responseSchema = schema;
      if (dropped.length > 0)
        warnings.push({
          type: 'unsupported-setting',
          setting: 'response_format.json_schema',
          message: `Gemini does not accept these JSON Schema keywords; they were removed: ${dropped.join(', ')}.`,
        });
    }
  }

  if (req.logit_bias != null && Object.keys(req.logit_bias).length > 0)
    warnings.push({ type: 'unsupported-setting', setting: 'logit_bias', message: 'Gemini does not support logit_bias; it was ignored.' });
  if (req.parallel_tool_calls === false)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'parallel_tool_calls',
      message: 'Gemini cannot be told to avoid parallel function calls; parallel_tool_calls was ignored.',
    });
  if (req.reasoning_effort != null)
    warnings.push({
      type: 'unsupported-setting',
      setting: 'reasoning_effort',
      message: 'reasoning_effort is not mapped to Gemini thinking settings; the model default applies.',
    });

  return Object.keys(config).length > 0 ? config : undefined;
}
