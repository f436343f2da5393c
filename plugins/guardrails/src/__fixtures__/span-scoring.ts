/**
 * Precision and recall per entity type, shared by the pattern corpus (corpus/evaluate.ts) and
 * the names corpus (names/evaluate-names.ts): a predicted span counts as found when it overlaps
 * an expected span of the same type.
 */
export interface ScoredSpan {
  type: string;
  start: number;
  end: number;
}

export interface TypeScore {
  type: string;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

const overlaps = (a: ScoredSpan, b: ScoredSpan): boolean => a.type === b.type && a.start < b.end && b.start < a.end;

export class SpanScorer {
  private readonly counts = new Map<string, { tp: number; fp: number; fn: number }>();
  /** One line per false or missed span, quoting the text, for failure messages. */
  readonly misses: string[] = [];

  /** `types` are reported even when no sample has them (a type never predicted still shows). */
  constructor(types: readonly string[] = []) {
    for (const type of types) this.counts.set(type, { tp: 0, fp: 0, fn: 0 });
  }

  add(id: string, text: string, predicted: readonly ScoredSpan[], expected: readonly ScoredSpan[]): void {
    for (const p of predicted) {
      const hit = expected.some((g) => overlaps(p, g));
      this.bump(p.type, hit ? 'tp' : 'fp');
      if (!hit) this.misses.push(`${id}: false ${p.type} "${text.slice(p.start, p.end)}"`);
    }
    for (const g of expected) {
      if (predicted.some((p) => overlaps(p, g))) continue;
      this.bump(g.type, 'fn');
      this.misses.push(`${id}: missed ${g.type} "${text.slice(g.start, g.end)}"`);
    }
  }

  scores(): TypeScore[] {
    return [...this.counts.entries()]
      .map(([type, c]) => ({
        type,
        ...c,
        precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
        recall: c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn),
      }))
      .sort((a, b) => a.type.localeCompare(b.type));
  }

  private bump(type: string, field: 'tp' | 'fp' | 'fn'): void {
    const c = this.counts.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    c[field]++;
    this.counts.set(type, c);
  }
}

export function formatScores(scores: readonly TypeScore[]): string {
  const rows = scores.map((s) => `${s.type.padEnd(16)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(4)} ${String(s.fn).padStart(4)}  ${s.precision.toFixed(3)}     ${s.recall.toFixed(3)}`);
  return [`${'type'.padEnd(16)}   tp   fp   fn  precision recall`, ...rows].join('\n');
}
