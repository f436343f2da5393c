import type { FinishReason, UnifiedFinishReason } from '@portcullis/core';

/**
 * OpenAI's finish reasons plus the variants OpenAI-compatible vendors are known to send
 * (`eos` from some inference servers, `model_length` from Mistral). Unknown values map to
 * `other`; the raw value always travels beside the unified one.
 */
const UNIFIED_BY_RAW: Record<string, UnifiedFinishReason> = {
  stop: 'stop',
  eos: 'stop',
  end_turn: 'stop',
  length: 'length',
  model_length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
  error: 'error',
};

export function mapFinishReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string') return { unified: 'other', raw: null };
  return { unified: UNIFIED_BY_RAW[raw] ?? 'other', raw };
}
