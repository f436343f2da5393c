#!/usr/bin/env node
/**
 * Benchmark (not a test): the in-repo o200k token counter against gpt-tokenizer's countTokens,
 * memory and speed side by side. Needs the compiled package:
 * `npx tsc -b plugins/rate-limits/tsconfig.json` (or `npm run build`).
 *
 *   node plugins/rate-limits/bench/tokenizer.bench.mjs [--rounds 15] [--calls 2000]
 *
 * Memory: each tokenizer in a fresh child (`node --expose-gc`): gc(), process.memoryUsage(),
 * load the tokenizer and count a prompt, gc(), process.memoryUsage() again; the growth of
 * heapUsed + external (external includes ArrayBuffers) is what the tokenizer keeps alive.
 * Speed: µs per call, warm, both tokenizers in this process, interleaved in rounds of `calls`
 * calls each; the median round is printed (and the fastest). Texts are flattened through
 * JSON.parse like a request body's strings.
 *
 * Targets: growth < 10 MB; at least as fast as gpt-tokenizer on 1 KB of prose and 2 KB of
 * code; table build < 300 ms.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const OURS = '../dist/tokenizer/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

const flat = (text) => JSON.parse(JSON.stringify(text));
const PROSE = flat(
  (
    'Our support team received a message from a customer who was charged twice for the same order. ' +
    "She wrote that she'd already contacted her bank, and that the second charge hasn't been refunded yet. " +
    'Please summarise the ticket in two or three sentences, then draft a short, friendly reply that apologises, ' +
    "explains what happened, and tells her when she'll see the money again. Don't promise anything finance " +
    'has not approved; if you are unsure about the refund policy, say that someone will follow up within two ' +
    'business days. Keep the tone warm but professional, avoid jargon, and sign the reply as "The Support Team". ' +
    'The order was placed on March 14th and shipped the next morning; the duplicate charge appeared three days later.'
  ).repeat(2).slice(0, 1024),
);
const CODE = flat(
  (
    "import { readFileSync } from 'node:fs';\n" +
    'export function parseEnv(input: string): Record<string, number> {\n' +
    '  const out: Record<string, number> = {};\n' +
    "  for (const line of input.split('\\n')) {\n" +
    "    const [key, value] = line.split('=');\n" +
    '    if (!key || value === undefined) continue;\n' +
    '    out[key.trim()] = Number.parseInt(value, 10);\n' +
    '  }\n  return out;\n}\n\n' +
    'def fibonacci(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\n' +
    'fn main() {\n    let squares: Vec<u32> = (0..10).map(|x| x * x).collect();\n    println!("{:?}", squares);\n}\n\n' +
    'SELECT user_id, COUNT(*) AS orders FROM orders WHERE created_at >= NOW() - INTERVAL \'7 days\' GROUP BY 1;\n'
  ).repeat(4).slice(0, 2048),
);

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

/** In a child: what loading the tokenizer and counting one prompt leaves on the heap. */
function memoryChild(which) {
  globalThis.gc();
  globalThis.gc();
  const before = process.memoryUsage();
  const t0 = performance.now();
  let count;
  if (which === 'ours') {
    const { O200kTokenCounter } = require(OURS);
    count = new O200kTokenCounter().count;
  } else {
    count = require('gpt-tokenizer').countTokens;
  }
  const tokens = count(PROSE) + count(CODE);
  const firstCountMs = performance.now() - t0;
  globalThis.gc();
  globalThis.gc();
  const after = process.memoryUsage();
  process.stdout.write(
    JSON.stringify({
      tokens,
      firstCountMs,
      heap: after.heapUsed - before.heapUsed,
      external: after.external - before.external,
      heapTotal: after.heapTotal - before.heapTotal,
      rss: after.rss - before.rss,
    }),
  );
}

function runMemory(which) {
  const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--memory-child', which], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main() {
  const { O200kTokenCounter, buildO200kRankTable } = require(OURS);
  const { countTokens } = require('gpt-tokenizer');
  const ours = new O200kTokenCounter().count;

  console.log(`node ${process.version}, gpt-tokenizer ${require('gpt-tokenizer/package.json').version}`);
  console.log(`prose: ${PROSE.length} chars, ${ours(PROSE)} tokens (gpt-tokenizer ${countTokens(PROSE)})`);
  console.log(`code:  ${CODE.length} chars, ${ours(CODE)} tokens (gpt-tokenizer ${countTokens(CODE)})`);
  if (ours(PROSE) !== countTokens(PROSE) || ours(CODE) !== countTokens(CODE)) throw new Error('counts differ');

  console.log('\nmemory kept after loading + counting (fresh process each, gc() before and after):');
  const memory = { ours: runMemory('ours'), 'gpt-tokenizer': runMemory('gpt-tokenizer') };
  for (const [name, m] of Object.entries(memory)) {
    console.log(
      `  ${name.padEnd(14)} heap +${mb(m.heap).padStart(5)} MB  external +${mb(m.external).padStart(5)} MB  ` +
        `heap+external +${mb(m.heap + m.external).padStart(5)} MB  (heapTotal +${mb(m.heapTotal)} MB, rss +${mb(m.rss)} MB)  ` +
        `first count ${m.firstCountMs.toFixed(0)} ms`,
    );
  }

  const builds = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    buildO200kRankTable();
    builds.push(performance.now() - t);
  }
  console.log(`\nrank table build (read + parse + index, warm JIT): median ${median(builds).toFixed(0)} ms, first ${builds[0].toFixed(0)} ms`);

  const rounds = Number(option('rounds', 15));
  const calls = Number(option('calls', 2000));
  const cases = [
    ['1 KB prose', PROSE],
    ['2 KB code', CODE],
  ];
  const tokenizers = [
    ['ours', ours],
    ['gpt-tokenizer', countTokens],
  ];
  const samples = new Map();
  for (const [label, text] of cases) for (const [name, fn] of tokenizers) for (let i = 0; i < 2000; i++) fn(text); // warm up
  for (let r = 0; r < rounds; r++) {
    for (const [label, text] of cases) {
      for (const [name, fn] of tokenizers) {
        const t = performance.now();
        for (let i = 0; i < calls; i++) fn(text);
        const key = `${label}|${name}`;
        samples.set(key, [...(samples.get(key) ?? []), ((performance.now() - t) * 1000) / calls]);
      }
    }
  }
  console.log(`\nspeed, µs per call (median of ${rounds} interleaved rounds of ${calls} calls; fastest round):`);
  for (const [label] of cases) {
    const row = tokenizers.map(([name]) => {
      const s = samples.get(`${label}|${name}`);
      return `${name} ${median(s).toFixed(1).padStart(6)} (${Math.min(...s).toFixed(1)})`;
    });
    console.log(`  ${label.padEnd(11)} ${row.join('   ')}`);
  }
}

const childAt = args.indexOf('--memory-child');
if (childAt >= 0) memoryChild(args[childAt + 1]);
else main();
