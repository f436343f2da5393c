import type { FinishReason, UnifiedFinishReason } from '@portcullis/core';

/** Every reason Gemini gives for stopping on content grounds (safety, copyright, PII, blocklists). */
const CONTENT_FILTER_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
]);

/**
 * Gemini finish reason -> unified, raw kept. Gemini says STOP after function calls too, so the
 * caller tells us whether the candidate called functions (OpenAI says `tool_calls` then).
 */
export function mapFinishReason(raw: string | undefined, calledFunctions: boolean): FinishReason {
  let unified: UnifiedFinishReason;
  if (raw === undefined) unified = calledFunctions ? 'tool_calls' : 'other';
  else if (raw === 'STOP') unified = calledFunctions ? 'tool_calls' : 'stop';
  else if (raw === 'MAX_TOKENS') unified = 'length';
  else if (CONTENT_FILTER_REASONS.has(raw)) unified = 'content_filter';
  else unified = 'other';
  return { unified, raw: raw ?? null };
}
