/**
 * `npm run bench:soak [-- --minutes N] [-- --streams N] [-- --rps N]`
 *
 * Portcullis (bench/gateway.mjs, all features on) under mixed streaming traffic for the whole
 * run: a paced background of fast JSON + SSE requests on a few connections, plus `--streams`
 * (1,000) slow streams held open at once (the upstream's `drip` model: 50 chunks 500 ms apart),
 * each re-opened as it ends. `--origins N` spreads the slow streams over N upstream origins (one
 * bench project each) instead of one: see README, Soak. The gateway's RSS is sampled every `--sample-sec`; after the warm-up
 * it must stay flat (soak-drift.mjs), and no answer may fail. Exits 1 when either rule fails or
 * the gateway did not really hold the streams open. Not part of `npm test`.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { argValue } from './child-stats.mjs';
import { startChild } from './children.mjs';
import { LIMITS } from './features.mjs';
import { fmt, table } from './report.mjs';
import { MAX_DRIFT_PCT, WARMUP_SHARE, rssDrift, warmupFor } from './soak-drift.mjs';
import { ensureOpenFiles } from './soak-limits.mjs';
import { background, createCounters, slowStreams } from './soak-traffic.mjs';

const MINUTES = Number(argValue('minutes', '5'));
const STREAMS = Number(argValue('streams', '1000'));
const BG_CONNECTIONS = Number(argValue('background-connections', '16'));
const BG_RPS = Number(argValue('rps', '200')); // moderate: the soak is about time, not saturation
const SAMPLE_SEC = Number(argValue('sample-sec', '10'));
const DRIP_CHUNKS = Number(argValue('drip-chunks', '50'));
const DRIP_GAP_MS = Number(argValue('drip-gap-ms', '500'));
const FEATURES = argValue('features', 'all');
const ORIGINS = Number(argValue('origins', '1'));
const STREAM_MS = DRIP_CHUNKS * DRIP_GAP_MS;
// A stream may lag behind its schedule on a busy box; past this it counts as not finished.
const DRAIN_GRACE_MS = STREAM_MS + 30_000;
// Streams open at a sample may be a few short of the target while ended ones re-open.
const MIN_OPEN_SHARE = 0.95;
const TOKEN = 'pc_live_BenchTokenAbcdefghijklmnopqrst';
const UPSTREAM_KEY = 'sk-bench-upstream-0123456789';
const log = (line = '') => process.stdout.write(`${line}\n`);
const mb = (bytes) => bytes / 2 ** 20;

/** Refuse to run when the soak's own load would reach the bench project's limits. */
function checkLimits() {
  const perMinute = BG_RPS * 60 + (STREAMS * 60_000) / STREAM_MS;
  const tokensPerRequest = 256 + DRIP_CHUNKS; // 1 KB prompt, completion at most DRIP_CHUNKS tokens
  const usdPerRequest = (256 * 0.15 + DRIP_CHUNKS * 0.6) / 1e6;
  const load = { rpm: perMinute, tpm: perMinute * tokensPerRequest, usd: perMinute * MINUTES * usdPerRequest };
  log(`limits: rpm ${load.rpm.toFixed(0)} of ${LIMITS.rpm}, tpm ${load.tpm.toFixed(0)} of ${LIMITS.tpm}, budget $${load.usd.toFixed(2)} of $${LIMITS.budgetUsdPerMonth} (soak load / bench limit)`);
  if (load.rpm > LIMITS.rpm / 10 || load.tpm > LIMITS.tpm / 10 || load.usd > LIMITS.budgetUsdPerMonth / 10) {
    throw new Error('the soak load comes within 10x of the bench limits in features.mjs: raise them there');
  }
}

const children = [];
async function start(file, args) {
  const child = await startChild(file, args);
  children.push(child);
  return child;
}

async function main() {
  // Client, gateway (caller + upstream side) and upstream each hold a socket per stream.
  const openFiles = ensureOpenFiles(2 * STREAMS + 1024);
  log(`soak: ${MINUTES} min, ${STREAMS} slow streams (${DRIP_CHUNKS} chunks ${DRIP_GAP_MS} ms apart = ${STREAM_MS / 1000} s each), background ${BG_CONNECTIONS} connections at ${BG_RPS} req/s (JSON + SSE), node ${process.version}`);
  log(openFiles);
  checkLimits();
  // With --origins N > 1 the background keeps listener 0 and the slow streams get listeners 1..N.
  const listeners = ORIGINS > 1 ? ORIGINS + 1 : 1;
  const upstream = await start('./upstream.mjs', ['--drip-chunks', String(DRIP_CHUNKS), '--drip-gap-ms', String(DRIP_GAP_MS), '--listeners', String(listeners)]);
  const spread = upstream.ready.urls.slice(1).map((u) => `${u}/v1`).join(',');
  const gateway = await start('./gateway.mjs', ['--upstream', `${upstream.ready.url}/v1`, '--upstream-key', UPSTREAM_KEY, '--client-token', TOKEN, '--features', FEATURES,
    ...(spread ? ['--spread-upstreams', spread] : [])]);
  log(`portcullis features: ${gateway.ready.features.map((f) => `${f.name} ${f.on ? 'ON' : `off (${f.why})`}`).join('; ')}`);

  const counters = createCounters();
  const runMs = MINUTES * 60_000;
  // Streams open over one stream's length; steady state needs one full turnover after that.
  const rampMs = 2 * STREAM_MS + SAMPLE_SEC * 1000;
  const warmupMs = warmupFor(runMs, rampMs);
  const startedAt = performance.now();
  const endsAt = startedAt + runMs;
  const until = () => endsAt;
  const drain = new AbortController();
  // One abort listener per waiting request is expected (undici may add one more per request).
  setMaxListeners(2 * (STREAMS + BG_CONNECTIONS), drain.signal);
  const url = gateway.ready.url;
  const streamTargets = ORIGINS > 1 ? gateway.ready.spread : [{ url, token: TOKEN }];
  log(`slow streams over ${streamTargets.length} upstream origin(s)${ORIGINS > 1 ? ' (--origins: not the one-provider case)' : ''}`);
  const traffic = Promise.all([
    background({ url, token: TOKEN, model: 'fast', connections: BG_CONNECTIONS, rps: BG_RPS, until, drainSignal: drain.signal, counters }),
    slowStreams({ targets: streamTargets, model: 'drip', streams: STREAMS, chunks: DRIP_CHUNKS, streamMs: STREAM_MS, until, drainSignal: drain.signal, counters }),
  ]);

  const headers = ['t s', 'gw RSS MB', 'gw peak MB', 'gw cpu %', 'streams open', 'at upstream', 'in flight', 'bg req/s', 'streams done', 'errors'];
  const samples = [];
  let lastBg = 0;
  log(`\nGateway RSS every ${SAMPLE_SEC} s (warm-up: the first ${(warmupMs / 1000).toFixed(0)} s, ${WARMUP_SHARE * 100}% of the run or the ramp if longer); streams open = client streams receiving, at upstream = drip streams the upstream is serving`);
  // No sample shorter than a second at the very end: streams stop re-opening once the run is over.
  while (endsAt - performance.now() >= 1000) {
    await Promise.all([gateway.begin(), upstream.begin()]);
    await sleep(Math.min(SAMPLE_SEC * 1000, endsAt - performance.now()));
    const [gw, up] = await Promise.all([gateway.end(), upstream.end()]);
    const atMs = performance.now() - startedAt;
    const sample = {
      atMs, rssMb: mb(gw.rssBytes), peakMb: mb(gw.peakRssBytes), cpuPct: ((gw.cpuUserMs + gw.cpuSystemMs) / gw.wallMs) * 100,
      open: counters.flowing, atUpstream: up.dripOpen, inFlight: counters.inFlight,
      bgRps: ((counters.backgroundOk - lastBg) * 1000) / gw.wallMs, done: counters.streamsDone, errors: counters.errors,
    };
    lastBg = counters.backgroundOk;
    samples.push(sample);
    const row = [(atMs / 1000).toFixed(0), sample.rssMb.toFixed(1), sample.peakMb.toFixed(1), sample.cpuPct.toFixed(0), String(sample.open),
      String(sample.atUpstream), String(sample.inFlight), sample.bgRps.toFixed(0), String(sample.done), String(sample.errors)];
    // The header with the first row, then one line per sample as the run goes.
    log(samples.length === 1 ? table(headers, [row]) : table(headers, [row]).split('\n')[2]);
  }

  log(`\nrun over; letting open streams finish (up to ${(DRAIN_GRACE_MS / 1000).toFixed(0)} s)`);
  const drainTimer = setTimeout(() => drain.abort(), DRAIN_GRACE_MS);
  await traffic;
  clearTimeout(drainTimer);

  const judged = samples.filter((s) => s.atMs > warmupMs);
  // Per sample, the lower of the client-side and upstream-side counts; over the samples, the
  // median: a stream is briefly counted by neither while it re-opens, and re-opens bunch up.
  const held = judged.map((s) => Math.min(s.open, s.atUpstream)).sort((a, b) => a - b);
  const streamsOpen = held.length ? held[Math.floor(held.length / 2)] : 0;
  log(`streams held open after warm-up: median ${streamsOpen}, fewest ${held[0] ?? 0} (lower of client receiving and upstream serving, per sample)`);
  const drift = rssDrift(samples, runMs, rampMs);
  log(`memory rule: mean RSS ${fmt(drift.startMb, 1)} MB over ${(drift.warmupMs / 1000).toFixed(0)}-${((drift.warmupMs + drift.windowMs) / 1000).toFixed(0)} s vs ${fmt(drift.endMb, 1)} MB over the last ${(drift.windowMs / 1000).toFixed(0)} s: ${fmt(drift.driftPct, 1)}% (fails above +${MAX_DRIFT_PCT}%)`);
  log(`answers: ${counters.backgroundOk} background OK, ${counters.streamsDone} slow streams complete, ${counters.errors} errors${counters.errors ? ` ${JSON.stringify(counters.errorKinds)}` : ''}`);
  for (const e of counters.firstErrors) log(`  error: ${e}`);
  const failures = [];
  if (!(drift.driftPct <= MAX_DRIFT_PCT)) failures.push(`RSS drift ${fmt(drift.driftPct, 1)}% > ${MAX_DRIFT_PCT}%`);
  if (counters.errors > 0) failures.push(`${counters.errors} errors`);
  if (streamsOpen < STREAMS * MIN_OPEN_SHARE) failures.push(`only ${streamsOpen} of ${STREAMS} streams held open at once after warm-up (median; client and upstream side)`);
  log(failures.length ? `FAIL: ${failures.join('; ')}` : 'PASS');

  await Promise.all(children.map((c) => c.stop()));
  log(`soak: minutes=${MINUTES} streams_open=${streamsOpen} rss_start_mb=${fmt(drift.startMb, 1)} rss_end_mb=${fmt(drift.endMb, 1)} rss_drift_pct=${fmt(drift.driftPct, 1)} errors=${counters.errors}`);
  process.exitCode = failures.length ? 1 : 0;
}

main().catch(async (err) => {
  process.stderr.write(`soak failed: ${err.stack ?? err}\n`);
  await Promise.all(children.map((c) => c.stop()));
  process.exitCode = 1;
});
