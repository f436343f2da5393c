#!/usr/bin/env node
/**
 * Prints precision and recall of the names path per type over the labelled names corpus
 * (src/__fixtures__/names), through the real plugin hook and worker pool. Needs the compiled
 * package: `npx tsc -b plugins/guardrails/tsconfig.json`. Floors: names-corpus.test.ts.
 *
 *   node plugins/guardrails/scripts/eval-names.mjs [--misses]
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { evaluateNames, formatNameScores, loadNamesCorpus, namesOnlyPolicy } = require('../dist/__fixtures__/names/evaluate-names.js');
const { fakeHost, startPlugin } = require('../dist/__fixtures__/fake-host.js');

const samples = loadNamesCorpus(join(here, '..', 'src', '__fixtures__', 'names'));
const { plugin, teardown } = await startPlugin(fakeHost([namesOnlyPolicy()]).host, { names: { workers: 1, maxQueue: 64 } });
const { scores, misses } = await evaluateNames(plugin, samples);
await teardown();
console.log(`${samples.length} samples, ${samples.filter((s) => s.entities.length === 0).length} without names\n`);
console.log(formatNameScores(scores));
if (process.argv.includes('--misses')) console.log(`\n${misses.join('\n') || 'no misses'}`);
