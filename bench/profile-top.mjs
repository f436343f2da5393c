/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and names where the time went: the top functions by
 * self time, and the same time summed per source file (repo files shown relative to the repo).
 * `node bench/profile-top.mjs <file.cpuprofile>` prints the same summary.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function shortUrl(url) {
  if (!url) return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length) : path.replace(/^.*node_modules\//, 'node_modules/');
}

export function summariseProfile(file, top = 25) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const deltas = prof.timeDeltas;
  const selfUs = new Map();
  prof.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFn = new Map();
  const byFile = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame: f } = byId.get(id);
    const where = shortUrl(f.url);
    const key = `${f.functionName || '(anonymous)'}  ${where}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    byFile.set(where, (byFile.get(where) ?? 0) + us);
  }
  // Where our code spends, library and native calls included: each sample goes to the deepest
  // frame on its stack that is a repo source file (core/, plugins/, adapters/).
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byRepoFrame = new Map();
  // The same attribution rolled up per package area: core's folders (app, llm, store, ...) and
  // each plugin and adapter, so "what does feature X cost" is one line.
  const byArea = new Map();
  for (const [id, us] of selfUs) {
    let cur = id;
    let label = null;
    let area = null;
    while (cur !== undefined) {
      const { callFrame: f } = byId.get(cur);
      const where = shortUrl(f.url);
      if (/^(core|plugins|adapters)\//.test(where)) {
        label = `${f.functionName || '(anonymous)'}  ${where}:${f.lineNumber + 1}`;
        const parts = where.split('/');
        area = parts[0] === 'core' ? `core/${parts[2]}` : `${parts[0]}/${parts[1]}`;
        break;
      }
      cur = parent.get(cur);
    }
    const { callFrame: own } = byId.get(id);
    label ??= ['(idle)', '(program)', '(garbage collector)'].includes(own.functionName) ? own.functionName : '(outside repo code: node/http/undici/router)';
    area ??= label;
    byRepoFrame.set(label, (byRepoFrame.get(label) ?? 0) + us);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const idle = byFn.get('(idle)  (native):0') ?? 0;
  const busy = total - idle;
  const pct = (us) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const sorted = (m) => [...m].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top);
  const lines = [`${(total / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms busy; percentages are of busy time`];
  lines.push('top functions by self time:');
  for (const [k, us] of sorted(byFn)) lines.push(`  ${pct(us)}  ${k}`);
  lines.push('by file (self time):');
  for (const [k, us] of sorted(byFile)) lines.push(`  ${pct(us)}  ${k}`);
  lines.push('by area of the deepest repo frame (core folder, plugin or adapter):');
  for (const [k, us] of sorted(byArea)) lines.push(`  ${pct(us)}  ${k}`);
  lines.push('by deepest repo frame (self time of that frame + the library/native code it called):');
  for (const [k, us] of sorted(byRepoFrame)) lines.push(`  ${pct(us)}  ${k}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${summariseProfile(process.argv[2], Number(process.argv[3] ?? 25))}\n`);
}
