/**
 * `node bench/repeat.mjs [--rounds 5] [--seconds 4] [--connections 128] [--features all] [--shapes json,sse] [--profile-dir DIR] [--gateway-flags "--max-semi-space-size=8"]`
 *
 * The CPU-per-request ratio only, measured the way a change should be judged on a noisy shared
 * box: floor and Portcullis alternate, round after round, JSON then SSE, and the MEDIAN of the
 * per-round ratios is printed with the spread. One `npm run bench` gives one sample of a figure
 * that moves ±10–25% between identical runs here; this gives several, interleaved so drift in the
 * machine's load hits both targets alike. Needs the dist builds (`npx tsc -b`).
 */
import { argValue } from './child-stats.mjs';
import { measured, startChild } from './children.mjs';
import { runLoad } from './load.mjs';

const ROUNDS = Number(argValue('rounds', '5'));
const SECONDS = Number(argValue('seconds', '4'));
const CONNECTIONS = Number(argValue('connections', '128'));
const FEATURES = argValue('features', 'all');
const SHAPES = argValue('shapes', 'json,sse').split(',');
const PROFILE_DIR = argValue('profile-dir', ''); // set: the gateway runs with --cpu-prof into it
// Extra node flags for the gateway process only (A/B of V8 settings), space-separated.
const GATEWAY_FLAGS = argValue('gateway-flags', '').split(' ').filter(Boolean);
const TOKEN = 'pc_live_BenchTokenAbcdefghijklmnopqrst';
const UPSTREAM_KEY = 'sk-bench-upstream-0123456789';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const children = [];
try {
  const upstream = await startChild('./upstream.mjs', []);
  children.push(upstream);
  const common = ['--upstream', `${upstream.ready.url}/v1`, '--upstream-key', UPSTREAM_KEY, '--client-token', TOKEN];
  const floor = await startChild('./floor-proxy.mjs', common);
  children.push(floor);
  const gateway = await startChild('./gateway.mjs', [...common, '--features', FEATURES], {
    execArgv: [...GATEWAY_FLAGS, ...(PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [])],
  });
  children.push(gateway);
  const targets = [
    { name: 'floor', child: floor, url: floor.ready.url, model: 'gpt-bench' },
    { name: 'portcullis', child: gateway, url: gateway.ready.url, model: 'fast' },
  ];
  const cpuPerReq = async (t, stream, durationSec) => {
    const { result, stats: [s] } = await measured([t.child], () => runLoad({ url: t.url, token: TOKEN, model: t.model, stream, connections: CONNECTIONS, durationSec }));
    return { cpu: (s.cpuUserMs + s.cpuSystemMs) / Math.max(result['2xx'], 1), rss: s.peakRssBytes / 2 ** 20, failed: result.non2xx + result.errors };
  };
  for (const stream of [false, true]) for (const t of targets) await cpuPerReq(t, stream, 1.5); // warm-up
  process.stdout.write(`repeat: ${ROUNDS} rounds x ${SECONDS}s, ${CONNECTIONS} connections, features ${FEATURES}\n`);
  for (const stream of [false, true].filter((s) => SHAPES.includes(s ? 'sse' : 'json'))) {
    const ratios = [];
    const mine = [];
    let peakRss = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const f = await cpuPerReq(targets[0], stream, SECONDS);
      const p = await cpuPerReq(targets[1], stream, SECONDS);
      if (p.failed > 0) process.stdout.write(`  warning: ${p.failed} failed requests\n`);
      ratios.push(p.cpu / f.cpu);
      mine.push(p.cpu);
      peakRss = Math.max(peakRss, p.rss);
      process.stdout.write(`  ${stream ? 'sse ' : 'json'} round ${round + 1}: floor ${f.cpu.toFixed(3)} ms, portcullis ${p.cpu.toFixed(3)} ms, x${(p.cpu / f.cpu).toFixed(2)}, rss ${p.rss.toFixed(0)} MB\n`);
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    process.stdout.write(
      `${stream ? 'sse ' : 'json'}: median x${median(ratios).toFixed(2)} (range ${sorted[0].toFixed(2)}–${sorted.at(-1).toFixed(2)}), portcullis median ${median(mine).toFixed(3)} ms/req, peak RSS ${peakRss.toFixed(0)} MB\n`,
    );
  }
} finally {
  await Promise.all(children.map((c) => c.stop()));
}
