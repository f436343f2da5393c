/**
 * Portcullis under test: `serve()` from the built core with a realistic project (token auth,
 * ai-wrapper, the OpenAI adapter pointed at the bench upstream, and every optional feature whose
 * package is built; the core request log queue and /metrics registry are always on).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argValue, reportReady, serveStatsOverIpc } from './child-stats.mjs';
import { BASE_FEATURES, OPTIONAL_FEATURES } from './features.mjs';

const require = createRequire(import.meta.url);
const core = require('@portcullis/core');

export const PROJECT_ID = '6b0f3a52-2d4e-4c8b-9f1a-0c7e5d3b2a19';
const upstream = argValue('upstream', 'http://127.0.0.1:1/v1');
const upstreamKey = argValue('upstream-key', 'sk-bench-upstream');
const clientToken = argValue('client-token', 'pc_live_BenchTokenAbcdefghijklmnopqrst');
const only = argValue('features', 'all'); // "base" = auth + ai-wrapper only; "base,budgets" adds one (A/B runs)
// The soak's --origins: one more project per upstream URL here, each with its own credential
// (so its own upstream origin and connection pool) and a `drip` alias.
const spreadUpstreams = argValue('spread-upstreams', '').split(',').filter(Boolean);
const spreadProjectId = (i) => `${PROJECT_ID.slice(0, -4)}${String(1000 + i).padStart(4, '0')}`;
const spreadToken = (i) => `pc_live_BenchSpread${String(i).padStart(3, '0')}Abcdefghijklmn`;

/** A feature is on when its package resolves and loads; anything else is reported, not hidden. */
function probe(feature) {
  try {
    require(require.resolve(feature.package));
    return { ...feature, on: true };
  } catch (err) {
    return { ...feature, on: false, why: err.code ?? err.message };
  }
}

// `base` = none of the optional features; `base,budgets,guardrails` = base plus those (matched on the name).
const wanted = only === 'all' ? null : only.split(',').slice(1);
const optional = OPTIONAL_FEATURES.map((f) =>
  wanted && !wanted.some((w) => f.name.startsWith(w)) ? { ...f, on: false, why: `disabled by --features ${only}` } : probe(f),
);
const features = [...BASE_FEATURES.map((f) => ({ ...f, on: true })), ...optional];
const enabled = features.filter((f) => f.on);

// The bench's own latency probe rides along (bench/latency-probe.cjs: an onLog hook, two subtractions).
const probePath = fileURLToPath(new URL('./latency-probe.cjs', import.meta.url));
const latencyProbe = require(probePath);
const pluginsYaml = [...enabled.map((f) => ({ package: f.package, ...(f.config ? { config: f.config } : {}) })), { package: probePath }]
  .map((entry) => `  - ${JSON.stringify(entry)}`)
  .join('\n');
const policiesYaml = enabled.flatMap((f) => f.policies).map((p) => `      - ${p}`).join('\n');
const yaml = `
environment: production
server: { port: 0, host: 127.0.0.1 }
plugins:
${pluginsYaml}
adapters: ["@portcullis/adapter-openai"]
prices:
  "openai:gpt-bench": { inputPerMTok: 0.15, outputPerMTok: 0.6 }
  "openai:gpt-bench-slow": { inputPerMTok: 0.15, outputPerMTok: 0.6 }
  "openai:gpt-bench-drip": { inputPerMTok: 0.15, outputPerMTok: 0.6 }
credentials:
  - { name: bench-openai, provider: openai, secret: "${upstreamKey}", baseUrl: "${upstream}" }
${spreadUpstreams.map((url, i) => `  - { name: bench-openai-${i}, provider: openai, secret: "${upstreamKey}", baseUrl: "${url}" }`).join('\n')}
projects:
  - id: ${PROJECT_ID}
    name: Bench
    type: ai_wrapper
    providers: [ { provider: openai, credential: bench-openai } ]
    aliases:
      - { name: fast, target: "openai:gpt-bench" }
      - { name: slow, target: "openai:gpt-bench-slow" }
      - { name: drip, target: "openai:gpt-bench-drip" }
    tokens:
      - { name: bench, scopes: [chat, models], value: "${clientToken}" }
    policies:
${policiesYaml || '      []'}
${spreadUpstreams.map((_, i) => `  - id: ${spreadProjectId(i)}
    name: Bench spread ${i}
    type: ai_wrapper
    providers: [ { provider: openai, credential: bench-openai-${i} } ]
    aliases: [ { name: drip, target: "openai:gpt-bench-drip" } ]
    tokens: [ { name: bench, scopes: [chat], value: "${spreadToken(i)}" } ]
    policies:
${policiesYaml || '      []'}`).join('\n')}
`.replaceAll('    policies:\n      []', '    policies: []');

const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
const env = { ...process.env, APP_KEY: Buffer.alloc(32, 7).toString('base64') };
const config = core.parseConfig(yaml, env, 'bench');
config.store = { driver: 'embedded', path: join(dataDir, 'portcullis.db') };
const running = await core.serve(config, { baseDir: process.cwd(), env, logger: core.createSilentLogger(), port: 0 });

serveStatsOverIpc({
  // What the gateway added inside itself during the window (see latency-probe.cjs).
  extra: () => ({ inGateway: latencyProbe.takeSamples() }),
  onShutdown: async () => {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
});
reportReady({
  url: `${running.url}/api/${PROJECT_ID}/v1`,
  spread: spreadUpstreams.map((_, i) => ({ url: `${running.url}/api/${spreadProjectId(i)}/v1`, token: spreadToken(i) })),
  features: features.map((f) => ({ name: f.name, on: f.on, ...(f.why ? { why: f.why } : {}) })),
});
