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
import { SpanScorer, type TypeScore } from '../span-scoring';

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

export { formatScores, type TypeScore } from '../span-scoring';

export function evaluateCorpus(samples: readonly LabelledSample[]): { scores: TypeScore[]; misses: string[] } {
  const scanner = corpusScanner();
  const scorer = new SpanScorer();
  for (const sample of samples) scorer.add(sample.id, sample.text, scanner.scan(sample.text), sample.entities);
  return { scores: scorer.scores(), misses: scorer.misses };
}
