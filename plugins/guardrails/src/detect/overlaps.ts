import { CUSTOM_SPECIFICITY, SPECIFICITY } from '../entities';
import type { Span } from './types';

const rank = (span: Span): number => SPECIFICITY[span.type] ?? CUSTOM_SPECIFICITY;

/**
 * Keeps non-overlapping spans: the most specific type wins, then the longest span, then the
 * earliest. Returns them sorted by start. Inputs are a handful of spans, so O(n^2) is fine.
 */
export function resolveOverlaps(spans: Span[]): Span[] {
  if (spans.length <= 1) return spans;
  const byPreference = [...spans].sort(
    (a, b) => rank(b) - rank(a) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: Span[] = [];
  for (const span of byPreference) {
    if (!kept.some((k) => span.start < k.end && k.start < span.end)) kept.push(span);
  }
  return kept.sort((a, b) => a.start - b.start);
}
