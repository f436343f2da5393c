/**
 * `npm run bench [-- --quick] [-- --profile] [-- --features base] [-- --portkey | --no-portkey]`
 *
 * Starts a zero-latency mock upstream, the bare floor proxy and Portcullis, each in its own
 * process, drives the floor and Portcullis with autocannon (32 and 128 connections, JSON and SSE,
 * 1 KB prompt), then runs a light-load phase (50 ms upstream, 5 ms between chunks, 16 clients)
 * against the upstream directly, the floor and Portcullis. Every Portcullis figure is also given
 * as a ratio to the floor measured in the same run: on a shared machine only ratios travel.
 *
 * Portkey's open-source gateway runs as one more target with `--portkey`, and in every full run
 * (`--no-portkey` leaves it out): installed on demand into .tools/portkey, skipped with the
 * reason printed when it cannot be installed or does not reach the mock upstream.
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measured, startChild } from './children.mjs';
import { lightLoad, percentiles } from './light-load.mjs';
import { runLoad } from './load.mjs';
import { startPortkeyTarget } from './portkey-target.mjs';
import { summariseProfile } from './profile-top.mjs';
import { fmt, table } from './report.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const profile = argv.includes('--profile');
const withPortkey = argv.includes('--portkey') || (!quick && !argv.includes('--no-portkey'));
const featuresArg = argv.includes('--features') ? argv[argv.indexOf('--features') + 1] : 'all';
const DURATION_SEC = quick ? 3 : 10;
const WARMUP_SEC = quick ? 1.5 : 3;
const LIGHT_SEC = quick ? 2 : 8;
const CONNECTIONS = [32, 128];
const LIGHT_CONCURRENCY = 16;
const TOKEN = 'pc_live_BenchTokenAbcdefghijklmnopqrst';
const UPSTREAM_KEY = 'sk-bench-upstream-0123456789';
const profileDir = fileURLToPath(new URL('./profiles/', import.meta.url));
const startedAt = Date.now();
const log = (line = '') => process.stdout.write(`${line}\n`);

const children = [];
async function start(file, args, options) {
  const child = await startChild(file, args, options);
  children.push(child);
  return child;
}

async function main() {
  const upstream = await start('./upstream.mjs', ['--latency-ms', '50', '--chunk-gap-ms', '5']);
  const upstreamV1 = `${upstream.ready.url}/v1`;
  const common = ['--upstream', upstreamV1, '--upstream-key', UPSTREAM_KEY, '--client-token', TOKEN];
  const floor = await start('./floor-proxy.mjs', common);
  if (profile) mkdirSync(profileDir, { recursive: true });
  const gateway = await start('./gateway.mjs', [...common, '--features', featuresArg], {
    execArgv: profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
  });
  log(`bench: ${quick ? 'quick' : 'full'} run, ${DURATION_SEC}s per load run, node ${process.version}`);
  log(`portcullis features: ${gateway.ready.features.map((f) => `${f.name} ${f.on ? 'ON' : `off (${f.why})`}`).join('; ')}`);
  log('always on in core: request id, project snapshot lookup, batched request log, /metrics registry');

  const targets = [
    { name: 'floor', child: floor, url: floor.ready.url, model: 'gpt-bench', slowModel: 'gpt-bench-slow', token: TOKEN },
    { name: 'portcullis', child: gateway, url: gateway.ready.url, model: 'fast', slowModel: 'slow', token: TOKEN },
  ];
  if (withPortkey) {
    const portkey = await startPortkeyTarget({ start, upstreamV1, upstreamKey: UPSTREAM_KEY, log });
    if (portkey.target) {
      targets.push(portkey.target);
      log(`portkey: @portkey-ai/gateway running at ${portkey.target.url}, verified against the mock (JSON and SSE)`);
    } else log(`portkey: SKIPPED: ${portkey.skip}`);
  }
  const rows = [];
  for (const stream of [false, true]) {
    for (const t of targets) {
      const shape = { url: t.url, token: t.token, model: t.model, headers: t.headers, stream };
      await runLoad({ ...shape, connections: CONNECTIONS[0], durationSec: WARMUP_SEC });
      for (const connections of CONNECTIONS) {
        const { result, stats: [s] } = await measured([t.child], () =>
          runLoad({ ...shape, connections, durationSec: DURATION_SEC }),
        );
        const ok = result['2xx'];
        const bad = result.non2xx + result.errors + result.timeouts;
        if (bad > 0) log(`  warning: ${t.name} ${stream ? 'sse' : 'json'} c=${connections}: ${bad} failed of ${ok + bad}`);
        rows.push({
          target: t.name, stream, connections,
          rps: ok / (result.duration || DURATION_SEC),
          p50: result.latency.p50, p99: result.latency.p99,
          cpuPerReq: (s.cpuUserMs + s.cpuSystemMs) / Math.max(ok, 1),
          rssMb: s.peakRssBytes / 2 ** 20,
        });
      }
    }
  }

  log('\nSaturation (zero-latency upstream, 1 KB prompt); ratios are target / floor in this run');
  const find = (target, stream, c) => rows.find((r) => r.target === target && r.stream === stream && r.connections === c);
  const ratioRows = [];
  log(table(
    ['target', 'shape', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'cpu ms/req', 'peak RSS MB', 'x req/s', 'x cpu/req', 'x RSS'],
    rows.map((r) => {
      const f = find('floor', r.stream, r.connections);
      const ratio = { rps: r.rps / f.rps, cpu: r.cpuPerReq / f.cpuPerReq, rss: r.rssMb / f.rssMb };
      if (r.target === 'portcullis') ratioRows.push({ ...r, ratio });
      return [r.target, r.stream ? 'sse' : 'json', String(r.connections), r.rps.toFixed(0), r.p50, r.p99, r.cpuPerReq.toFixed(3), r.rssMb.toFixed(1),
        r.target === 'floor' ? '1' : ratio.rps, r.target === 'floor' ? '1' : ratio.cpu, r.target === 'floor' ? '1' : ratio.rss];
    }),
  ));

  log(`\nLight load (upstream 50 ms to first byte, chunks 5 ms apart, ${LIGHT_CONCURRENCY} clients, ${LIGHT_SEC}s each)`);
  const light = [];
  const lightTargets = [{ name: 'direct', url: upstreamV1, slowModel: 'gpt-bench-slow', token: UPSTREAM_KEY }, ...targets];
  /** What Portcullis added inside itself (its request log's clocks; see latency-probe.cjs), per shape. */
  const inGateway = {};
  for (const stream of [false, true]) {
    for (const t of lightTargets) {
      const drive = () => lightLoad({ url: t.url, token: t.token, model: t.slowModel, headers: t.headers, stream, concurrency: LIGHT_CONCURRENCY, durationSec: LIGHT_SEC });
      let r;
      if (t.name === 'portcullis') {
        const { result, stats: [s] } = await measured([t.child], drive);
        r = result;
        const mine = (s.inGateway ?? []).filter((x) => x.stream === stream);
        inGateway[stream ? 'sse' : 'json'] = { firstByte: percentiles(mine.map((x) => x.firstByte)), total: percentiles(mine.map((x) => x.total)), count: mine.length };
      } else {
        r = await drive();
      }
      if (r.failures) log(`  warning: ${t.name} ${stream ? 'sse' : 'json'}: ${r.failures} failed requests`);
      light.push({ target: t.name, stream, ...r });
    }
  }
  const lightRow = (l) => {
    const d = light.find((x) => x.target === 'direct' && x.stream === l.stream);
    return [l.target, l.stream ? 'sse' : 'json', String(l.count), l.stream ? l.ttft.p50 : NaN, l.total.p50, l.total.p99,
      l.stream ? l.ttft.p50 - d.ttft.p50 : NaN, l.total.p50 - d.total.p50, l.total.p99 - d.total.p99];
  };
  log(table(['target', 'shape', 'requests', 'ttft p50', 'last byte p50', 'last byte p99', '+ttft p50', '+last p50', '+last p99'], light.map(lightRow)));
  // The client's "+" columns include one more process hop on a shared 2-core box (the floor pays
  // it too); the gateway's own clocks say what its code adds.
  log(
    `inside Portcullis (request log: first byte out minus upstream headers in; last byte minus upstream headers), p50/p99 ms: ` +
      `sse first byte ${fmt(inGateway.sse.firstByte.p50)}/${fmt(inGateway.sse.firstByte.p99)}, ` +
      `json last byte ${fmt(inGateway.json.total.p50)}/${fmt(inGateway.json.total.p99)} (${inGateway.sse.count + inGateway.json.count} requests)`,
  );

  const json = ratioRows.filter((r) => !r.stream);
  const sse = ratioRows.filter((r) => r.stream);
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const cpuJson = mean(json.map((r) => r.ratio.cpu));
  const cpuSse = mean(sse.map((r) => r.ratio.cpu));
  const gwLight = light.find((l) => l.target === 'portcullis' && l.stream);
  const directLight = light.find((l) => l.target === 'direct' && l.stream);
  const ttftAdded = gwLight.ttft.p50 - directLight.ttft.p50;
  const rss = Math.max(...ratioRows.map((r) => r.rssMb));
  log(`\nPortcullis CPU per request vs floor: json ${fmt(cpuJson)}x (target <= 3.5x), sse ${fmt(cpuSse)}x (target <= 2.5x)`);
  const portkeyVsPortcullis = compareWithPortkey(rows, light, log);

  await Promise.all(children.map((c) => c.stop()));
  if (profile) {
    const newest = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(profileDir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
    if (newest) log(`\nProfile of the gateway process (${newest}):\n${summariseProfile(newest)}`);
  }
  log(`(${((Date.now() - startedAt) / 1000).toFixed(1)}s)`);
  const portkeyField = portkeyVsPortcullis === null ? '' : ` portkey_cpu_vs_portcullis=${fmt(portkeyVsPortcullis)}`;
  log(`bench: cpu_per_req_vs_floor=${fmt(cpuJson)} ttft_added_ms_p50=${fmt(ttftAdded)} rss_mb=${fmt(rss, 1)}${portkeyField} ttft_in_gateway_ms_p50=${fmt(inGateway.sse.firstByte.p50)}`);
}

/**
 * Portkey's CPU per request over Portcullis's for each shape measured in this run (the issue's
 * target: >= 3x); returns the mean of those ratios, or null when Portkey did not run.
 */
function compareWithPortkey(rows, light, log) {
  const pk = rows.filter((r) => r.target === 'portkey');
  if (pk.length === 0) return null;
  const lines = pk.map((p) => {
    const pc = rows.find((r) => r.target === 'portcullis' && r.stream === p.stream && r.connections === p.connections);
    return { shape: p.stream ? 'sse' : 'json', connections: p.connections, pc, p, ratio: p.cpuPerReq / pc.cpuPerReq };
  });
  log('\nPortkey vs Portcullis, same run (target: Portkey cpu/req >= 3x Portcullis)');
  log(table(['shape', 'conns', 'portcullis cpu ms/req', 'portkey cpu ms/req', 'portkey / portcullis', 'portcullis RSS MB', 'portkey RSS MB'],
    lines.map((l) => [l.shape, String(l.connections), l.pc.cpuPerReq.toFixed(3), l.p.cpuPerReq.toFixed(3), l.ratio, l.pc.rssMb.toFixed(1), l.p.rssMb.toFixed(1)])));
  const ttft = (name) => light.find((l) => l.target === name && l.stream)?.ttft.p50;
  log(`light-load SSE ttft p50: portkey ${fmt(ttft('portkey'))} ms, portcullis ${fmt(ttft('portcullis'))} ms, direct ${fmt(ttft('direct'))} ms`);
  return lines.reduce((a, l) => a + l.ratio, 0) / lines.length;
}

main().catch(async (err) => {
  process.stderr.write(`bench failed: ${err.stack ?? err}\n`);
  await Promise.all(children.map((c) => c.stop()));
  process.exitCode = 1;
});
