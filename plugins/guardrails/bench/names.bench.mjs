#!/usr/bin/env node
/**
 * Benchmark (not a test): latency the names path adds to a request. Drives the real plugin hook
 * (beforeUpstream: pattern detectors, name candidates, the worker pool running compromise) with
 * 2 KB prompts that contain names, open loop at a fixed rate, once with names off and once
 * with names on, and prints p50/p99 of both and the difference. Needs the compiled package:
 * `npx tsc -b plugins/guardrails/tsconfig.json`.
 *
 *   node plugins/guardrails/bench/names.bench.mjs [--rate 100] [--seconds 10] [--workers 1]
 *
 * Target: names path under 2 ms added p50 at 100 req/s.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const { fakeContext, fakeHost, startPlugin, userRequest } = require('../dist/__fixtures__/fake-host.js');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rate = arg('rate', 100);
const seconds = arg('seconds', 10);
const workers = arg('workers', 1);

// Support-ticket prose with people, places and organisations; names vary per prompt.
const people = ['Jane Doe', 'Maria Garcia', 'John Smith', 'Wei Zhang', 'Fatima Khan', 'Lukas Becker', 'Sophie Martin', 'Ahmed Hassan'];
const orgs = ['Acme Corp', 'Globex Corporation', 'Initech', 'Umbrella Health', 'Stark Industries', 'Wayne Enterprises'];
const places = ['Berlin', 'Paris', 'San Francisco', 'Toronto', 'Madrid', 'Amsterdam', 'London'];
const pick = (list, i) => list[i % list.length];
function prompt(i) {
  const paragraphs = [
    `You are a helpful assistant for our support team. Summarise the ticket below and draft a reply. `,
    `Customer ${pick(people, i)} from ${pick(orgs, i)} wrote on 2024-03-14 about order 1234567890123 and an invoice that was charged twice. `,
    `She says the app crashed after upgrading from v2.3.1 to 2.4.0 while she was travelling to ${pick(places, i)} for a conference. `,
    `Logs mention connection reset by peer, retry 3 of 5, latency 250ms, p99 1.2s, and memory 512MB of 2GB on the reporting server. `,
    `Her colleague ${pick(people, i + 3)} at the ${pick(places, i + 2)} office confirmed the problem and asked for a refund on behalf of the team. `,
    `please be concise, friendly, and do not promise refunds before finance approves them in the billing console, as agreed last quarter. `,
    `the account manager on our side is ${pick(people, i + 5)}; copy them on the reply and mention the escalation process we use with ${pick(orgs, i + 1)}. `,
    `relevant docs: https://docs.example.com/billing/refunds#duplicate-charges and section 4.2.1 of the handbook, which covers this case. `,
  ];
  let text = '';
  for (let p = 0; text.length < 2048; p++) text += paragraphs[p % paragraphs.length];
  return text.slice(0, 2048);
}
const prompts = Array.from({ length: 64 }, (_, i) => prompt(i));

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];

/** Open loop: request i starts at t0 + i/rate whatever happened to the earlier ones. */
async function drive(plugin, label) {
  const total = Math.round(rate * seconds);
  const latencies = [];
  const outcomes = new Map();
  const inflight = [];
  const t0 = performance.now() + 50;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait - 1);
    while (performance.now() < due) { /* spin the last millisecond: timers are coarse */ }
    const ctx = fakeContext(userRequest(prompts[i % prompts.length]));
    const started = performance.now();
    inflight.push(
      Promise.resolve(plugin.hooks.beforeUpstream(ctx)).then(
        () => {
          latencies.push(performance.now() - started);
          const note = ctx.logAnnotations.metadata['guardrail.names'] ?? 'ok';
          outcomes.set(note, (outcomes.get(note) ?? 0) + 1);
        },
        (err) => outcomes.set(`error:${err.code ?? err.message}`, (outcomes.get(`error:${err.code ?? err.message}`) ?? 0) + 1),
      ),
    );
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  const p50 = quantile(latencies, 0.5);
  const p99 = quantile(latencies, 0.99);
  console.log(`${label.padEnd(34)} n=${latencies.length}  p50 ${p50.toFixed(3).padStart(7)} ms  p99 ${p99.toFixed(3).padStart(7)} ms  ${JSON.stringify(Object.fromEntries(outcomes))}`);
  return { p50, p99 };
}

const namesOn = { PERSON: 'mask', LOCATION: 'mask', ORGANIZATION: 'mask' };
const namesOff = { PERSON: 'off', LOCATION: 'off', ORGANIZATION: 'off' };
const patternOnly = await startPlugin(fakeHost([{ preset: 'balanced', entities: namesOff }]).host);
const withNames = await startPlugin(fakeHost([{ preset: 'balanced', entities: namesOn, names: { timeoutMs: 50, onTimeout: 'allow' } }]).host, {
  names: { workers, maxQueue: 64 },
});

console.log(`${prompts[0].length}-char prompts with names, ${rate} req/s for ${seconds} s, ${workers} worker(s), node ${process.version}`);
// Warm the JIT on both paths (the worker warms its own lexicon at start-up).
for (let i = 0; i < 200; i++) await patternOnly.plugin.hooks.beforeUpstream(fakeContext(userRequest(prompts[i % prompts.length])));
for (let i = 0; i < 50; i++) await withNames.plugin.hooks.beforeUpstream(fakeContext(userRequest(prompts[i % prompts.length])));

const base = await drive(patternOnly.plugin, 'pattern detectors only');
const names = await drive(withNames.plugin, 'pattern detectors + names');
console.log(`names path added: p50 ${(names.p50 - base.p50).toFixed(3)} ms, p99 ${(names.p99 - base.p99).toFixed(3)} ms (target: p50 < 2 ms)`);
await patternOnly.teardown();
await withNames.teardown();
