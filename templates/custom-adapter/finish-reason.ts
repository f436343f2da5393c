import type { FinishReason } from '@portcullis/core';

/** Acme's stop values mapped to the unified set; the raw value is kept beside it. */
export function finishReasonOf(stop: string | undefined): FinishReason {
  switch (stop) {
    case 'end':
      return { unified: 'stop', raw: stop };
    case 'limit':
      return { unified: 'length', raw: stop };
    case 'filtered':
      return { unified: 'content_filter', raw: stop };
    default:
      return { unified: 'other', raw: stop ?? null };
  }
}
