import type { FinishReason, UnifiedFinishReason } from '@portcullis/core';

const UNIFIED_BY_STOP_REASON: Record<string, UnifiedFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  // The prompt plus output filled the context window: the answer was cut, like max_tokens.
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
  // A server tool paused a long turn; the client must continue it. No OpenAI equivalent.
  pause_turn: 'other',
};

/** Maps Anthropic's `stop_reason`; the raw value is always kept beside the unified one. */
export function toFinishReason(stopReason: string | null | undefined): FinishReason {
  if (stopReason == null) return { unified: 'other', raw: null };
  return { unified: UNIFIED_BY_STOP_REASON[stopReason] ?? 'other', raw: stopReason };
}
