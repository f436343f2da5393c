/**
 * Precision and recall of the detectors against the labelled corpus, per entity type. Used by
 * corpus.test.ts (floors) and scripts/eval-corpus.mjs (the printed table).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileScanner } from '../../detect/scanner';
import type { Span } from '../../detect/types';
import { NAME_TYPES, PII_TYPES, SECRET_TYPES } from '../../entities';
import { resolvePolicy } from '../../policy/resolve';

export interface LabelledSample {
  id: string;
  text: string;
  entities: Span[];
}
interface RawSample {
  id: string;
  text: string;
  entities: ({ type: string; start: number; end: number } | { type: string; value: string })[];
}

/** Both corpus files; hand-written samples name values, which are located in the text here. */
export function loadCorpus(dir = __dirname): LabelledSample[] {
  const read = (file: string): RawSample[] => JSON.parse(readFileSync(join(dir, file), 'utf8')) as RawSample[];
  return [...read('generated.json'), ...read('tricky.json')].map((raw) => ({
    id: raw.id,
    text: raw.text,
    entities: raw.entities.map((e) => {
      if ('value' in e) {
        const start = raw.text.indexOf(e.value);
        if (start < 0) throw new Error(`corpus sample ${raw.id}: value not found in text`);
        return { type: e.type, start, end: start + e.value.length };
      }
      return e;
    }),
  }));
}

/** Every pattern type on (mask), names off: what the corpus measures. */
export function corpusScanner() {
  return compileScanner(
    resolvePolicy([
      {
        entities: {
          ...Object.fromEntries([...PII_TYPES, ...SECRET_TYPES].map((t) => [t, 'mask' as const])),
          ...Object.fromEntries(NAME_TYPES.map((t) => [t, 'off' as const])),
        },
      },
    ]),
  );
}

export interface TypeScore {
  type: string;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

const overlaps = (a: Span, b: Span): boolean => a.type === b.type && a.start < b.end && b.start < a.end;

export function evaluateCorpus(samples: readonly LabelledSample[]): { scores: TypeScore[]; misses: string[] } {
  const scanner = corpusScanner();
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (type: string, field: 'tp' | 'fp' | 'fn'): void => {
    const c = counts.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    c[field]++;
    counts.set(type, c);
  };
  const misses: string[] = [];
  for (const sample of samples) {
    const predicted = scanner.scan(sample.text);
    for (const p of predicted) {
      if (sample.entities.some((g) => overlaps(p, g))) bump(p.type, 'tp');
      else {
        bump(p.type, 'fp');
        misses.push(`${sample.id}: false ${p.type}`);
      }
    }
    for (const g of sample.entities) {
      if (!predicted.some((p) => overlaps(p, g))) {
        bump(g.type, 'fn');
        misses.push(`${sample.id}: missed ${g.type}`);
      }
    }
  }
  const scores = [...counts.entries()]
    .map(([type, c]) => ({
      type,
      ...c,
      precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
      recall: c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn),
    }))
    .sort((a, b) => a.type.localeCompare(b.type));
  return { scores, misses };
}

export function formatScores(scores: readonly TypeScore[]): string {
  const rows = scores.map((s) => `${s.type.padEnd(16)} ${String(s.tp).padStart(4)} ${String(s.fp).padStart(4)} ${String(s.fn).padStart(4)}  ${s.precision.toFixed(3)}  ${s.recall.toFixed(3)}`);
  return [`${'type'.padEnd(16)}   tp   fp   fn  precision recall`, ...rows].join('\n');
}
