#!/usr/bin/env node
/**
 * Prints precision and recall per entity type over the labelled corpus
 * (src/__fixtures__/corpus). Needs the compiled package: `npx tsc -b plugins/guardrails`.
 * The floors are asserted by src/__fixtures__/corpus/corpus.test.ts.
 *
 *   node plugins/guardrails/scripts/eval-corpus.mjs [--misses]
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { evaluateCorpus, formatScores, loadCorpus } = require('../dist/__fixtures__/corpus/evaluate.js');

const samples = loadCorpus(join(here, '..', 'src', '__fixtures__', 'corpus'));
const { scores, misses } = evaluateCorpus(samples);
console.log(`${samples.length} samples, ${samples.filter((s) => s.entities.length === 0).length} without entities\n`);
console.log(formatScores(scores));
if (process.argv.includes('--misses')) console.log(`\n${misses.join('\n') || 'no misses'}`);
