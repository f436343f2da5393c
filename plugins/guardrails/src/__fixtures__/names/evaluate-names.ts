/**
 * Precision and recall of the names path (candidates, cache, worker pool, compromise) against
 * the hand-labelled names corpus, per name type. It drives the plugin's real hook with the
 * names masked and reads the spans back from the masked text, so it measures what a client
 * would see and does not depend on the plugin's internals. Used by names-corpus.test.ts
 * (floors) and scripts/eval-names.mjs (the printed table).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalChatRequest, GatewayPlugin } from '@portcullis/core';
import { NAME_TYPES, PII_TYPES, SECRET_TYPES } from '../../entities';
import type { GuardrailPolicy } from '../../policy/schema';
import type { GuardrailsConfig } from '../../plugin';
import { fakeContext, userRequest } from '../fake-host';
import { SpanScorer, type TypeScore } from '../span-scoring';

export interface NameSpan {
  type: string;
  start: number;
  end: number;
}
export interface NameSample {
  id: string;
  text: string;
  entities: NameSpan[];
}
interface RawSample {
  id: string;
  text: string;
  entities: { type: string; value: string }[];
}

export function loadNamesCorpus(dir = __dirname): NameSample[] {
  const raw = JSON.parse(readFileSync(join(dir, 'labelled.json'), 'utf8')) as RawSample[];
  return raw.map((sample) => ({
    id: sample.id,
    text: sample.text,
    entities: sample.entities.map((e) => {
      const start = sample.text.indexOf(e.value);
      if (start < 0) throw new Error(`names corpus ${sample.id}: "${e.value}" not found`);
      return { type: e.type, start, end: start + e.value.length };
    }),
  }));
}

const MASK_SOURCE = `\\[(${NAME_TYPES.join('|')})\\]`;

/**
 * Spans of `original` that were replaced by `[TYPE]` labels in `masked`: the literal pieces
 * between labels appear in the original in order, and the gaps between them are the spans.
 * Returns null when the texts do not line up (something other than name masking changed).
 */
export function maskedSpans(original: string, masked: string): NameSpan[] | null {
  const labels = [...masked.matchAll(new RegExp(MASK_SOURCE, 'g'))];
  const pieces = [...labels.map((m, i) => masked.slice(i === 0 ? 0 : labels[i - 1]!.index + labels[i - 1]![0].length, m.index)), masked.slice(labels.length === 0 ? 0 : labels.at(-1)!.index + labels.at(-1)![0].length)];
  if (!original.startsWith(pieces[0]!)) return null;
  const spans: NameSpan[] = [];
  let at = pieces[0]!.length;
  for (let i = 0; i < labels.length; i++) {
    const piece = pieces[i + 1]!;
    const last = i === labels.length - 1;
    // The masked value ends where the next literal piece begins; the last piece ends the text.
    const end = last ? original.length - piece.length : original.indexOf(piece, at + 1);
    if (end <= at || !original.startsWith(piece, end)) return null;
    spans.push({ type: labels[i]![1]!, start: at, end });
    at = end + piece.length;
  }
  return at === original.length ? spans : null;
}

export type NameScore = TypeScore;
export { formatScores as formatNameScores } from '../span-scoring';

/** Runs every sample through the plugin (names masked) and scores the spans per type. */
export async function evaluateNames(
  plugin: GatewayPlugin<GuardrailsConfig>,
  samples: readonly NameSample[],
): Promise<{ scores: NameScore[]; misses: string[] }> {
  const scorer = new SpanScorer(NAME_TYPES);
  for (const sample of samples) {
    const ctx = fakeContext(userRequest(sample.text));
    await plugin.hooks!.beforeUpstream!(ctx);
    const masked = (ctx.llm!.request as CanonicalChatRequest).messages[0]!.content as string;
    const predicted = maskedSpans(sample.text, masked);
    if (predicted === null) throw new Error(`names corpus ${sample.id}: masked text does not line up: ${masked}`);
    scorer.add(sample.id, sample.text, predicted, sample.entities);
  }
  return { scores: scorer.scores(), misses: scorer.misses };
}

/** Names masked, every other type off, a generous budget: the corpus measures detection, not speed. */
export function namesOnlyPolicy(): GuardrailPolicy {
  return {
    entities: {
      ...Object.fromEntries([...PII_TYPES, ...SECRET_TYPES].map((t) => [t, 'off' as const])),
      ...Object.fromEntries(NAME_TYPES.map((t) => [t, 'mask' as const])),
    },
    promptInjection: 'off',
    names: { timeoutMs: 5000, onTimeout: 'block' },
  };
}
