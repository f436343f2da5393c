#!/usr/bin/env node
/**
 * A complete Portcullis world for end-to-end tests written in other languages (tests/python):
 * the four mock providers from the BUILT testkit, and a gateway served by `serve()` that loads
 * its plugins and adapters BY PACKAGE NAME from the config, exactly as a production install does
 * (so this also proves the published dist packages load). Build first: `npx tsc -b`.
 *
 *   node scripts/e2e-gateway.mjs [--port <n>]
 *
 * When ready it prints ONE JSON line on stdout:
 *   {"baseURL": "http://127.0.0.1:<port>/api/<project>/v1", "token": "pc_live_...", "aliases": ["gpt", ...], ...}
 * Logs go to stderr (LOG_LEVEL, default "warn"). It shuts down cleanly on SIGTERM, SIGINT, or
 * when stdin closes (so a test runner that dies never leaves it running).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(repoRoot, 'package.json'));

// Pinned identities: tests in other languages know nothing but the JSON line, but a pinned
// project id and token make failures reproducible by hand (curl with the same values).
const PROJECT_ID = '3f2c8a9e-0b7d-4c1e-9a57-6d3e2f1b8c40';
const TOKEN = 'pc_live_E2eTestTokenAbcdefghijklmnopqrstuv';
const SECRETS = {
  openai: 'sk-e2e-openai-secret-0123456789abcdef',
  anthropic: 'sk-ant-e2e-anthropic-secret-0123456789',
  gemini: 'AIzaE2eGeminiSecret0123456789abcdefghijk',
  bedrockAccessKeyId: 'AKIAE2ETESTKEY000001',
  bedrock: 'e2eBedrockSecretAccessKey0123456789abcdef',
};
/** One alias per wire protocol, so each case can run against every provider. */
const ALIASES = [
  { alias: 'gpt', provider: 'openai', model: 'gpt-4o-mini' },
  { alias: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-5' },
  { alias: 'gem', provider: 'gemini', model: 'gemini-2.5-flash' },
  { alias: 'bed', provider: 'bedrock', model: 'anthropic.claude-3-haiku-20240307-v1:0' },
];
const PLUGIN_PACKAGES = ['@portcullis/plugin-auth', '@portcullis/plugin-ai-wrapper'];
const ADAPTER_PACKAGES = ['@portcullis/adapter-openai', '@portcullis/adapter-anthropic', '@portcullis/adapter-gemini', '@portcullis/adapter-bedrock'];

function parsePort(argv) {
  const i = argv.indexOf('--port');
  if (i === -1) return 0;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port needs an integer 0..65535, got ${argv[i + 1]}`);
  return port;
}

/** Fails with a clear hint instead of a MODULE_NOT_FOUND stack when the dist is missing. */
function requireBuilt(specifier) {
  let entry = null;
  try {
    entry = require.resolve(specifier);
  } catch {
    // exports point into dist/: an unbuilt package does not resolve at all.
  }
  if (entry === null || !existsSync(entry)) throw new Error(`${specifier} is not built: run \`npx tsc -b\` first`);
  return require(specifier);
}

function worldYaml(mocks, storePath) {
  return `
store: { driver: embedded, path: "${storePath}" }
plugins:
${PLUGIN_PACKAGES.map((p) => `  - "${p}"`).join('\n')}
adapters:
${ADAPTER_PACKAGES.map((p) => `  - "${p}"`).join('\n')}
credentials:
  - { name: openai-main, provider: openai, secret: "\${OPENAI_SECRET}", baseUrl: "${mocks.openai.url}/v1" }
  - { name: anthropic-main, provider: anthropic, secret: "\${ANTHROPIC_SECRET}", baseUrl: "${mocks.anthropic.url}" }
  - { name: gemini-main, provider: gemini, secret: "\${GEMINI_SECRET}", baseUrl: "${mocks.gemini.url}/v1beta" }
  - name: bedrock-main
    provider: bedrock
    secret: "\${BEDROCK_SECRET}"
    baseUrl: "${mocks.bedrock.url}"
    options: { accessKeyId: ${SECRETS.bedrockAccessKeyId}, region: us-east-1 }
projects:
  - id: ${PROJECT_ID}
    name: E2E
    type: ai_wrapper
    providers:
      - { provider: openai, credential: openai-main }
      - { provider: anthropic, credential: anthropic-main }
      - { provider: gemini, credential: gemini-main }
      - { provider: bedrock, credential: bedrock-main }
    aliases:
${ALIASES.map((a) => `      - { name: ${a.alias}, target: "${a.provider}:${a.model}" }`).join('\n')}
    tokens:
      - { name: app, scopes: [chat, models, embeddings], value: "${TOKEN}" }
`;
}

async function main() {
  const port = parsePort(process.argv.slice(2));
  const core = requireBuilt('@portcullis/core');
  const testkit = requireBuilt('@portcullis/core/testkit');

  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-e2e-'));
  const mocks = {};
  let running = null;
  let stopping = null;
  const stop = (exitCode) =>
    (stopping ??= (async () => {
      try {
        if (running) await running.close();
        await Promise.all(Object.values(mocks).map((m) => m.close()));
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
      process.exit(exitCode);
    })());
  process.once('SIGTERM', () => void stop(0));
  process.once('SIGINT', () => void stop(0));
  // The parent holds our stdin; when it goes away (crash, kill -9), so do we.
  process.stdin.on('end', () => void stop(0));
  process.stdin.on('error', () => void stop(0));
  process.stdin.resume();

  try {
    mocks.openai = await testkit.startMockOpenAI({ apiKey: SECRETS.openai });
    mocks.anthropic = await testkit.startMockAnthropic({ apiKey: SECRETS.anthropic });
    mocks.gemini = await testkit.startMockGemini({ apiKey: SECRETS.gemini });
    mocks.bedrock = await testkit.startMockBedrock({ credentials: { accessKeyId: SECRETS.bedrockAccessKeyId, secretAccessKey: SECRETS.bedrock } });

    // Secrets reach the config through env interpolation, as they would in production.
    const env = {
      APP_KEY: randomBytes(32).toString('base64'),
      OPENAI_SECRET: SECRETS.openai,
      ANTHROPIC_SECRET: SECRETS.anthropic,
      GEMINI_SECRET: SECRETS.gemini,
      BEDROCK_SECRET: SECRETS.bedrock,
    };
    const config = core.parseConfig(worldYaml(mocks, join(dataDir, 'portcullis.db')), env, 'e2e world');
    const logger = core.createLogger({ level: process.env.LOG_LEVEL ?? 'warn', destination: process.stderr, name: 'e2e-gateway' });
    // No `extensions`: serve() loads plugins and adapters from the config's package names,
    // resolved from the repository root (where node_modules links the workspaces).
    running = await core.serve(config, { baseDir: repoRoot, env, logger, port });
  } catch (err) {
    process.stderr.write(`e2e-gateway failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    await stop(1);
    return;
  }

  const base = running.url.replace(/\/$/, '');
  process.stdout.write(
    `${JSON.stringify({
      baseURL: `${base}/api/${PROJECT_ID}/v1`,
      gatewayURL: base,
      projectId: PROJECT_ID,
      token: TOKEN,
      aliases: ALIASES.map((a) => a.alias),
      targets: Object.fromEntries(ALIASES.map((a) => [a.alias, { provider: a.provider, model: a.model }])),
    })}\n`,
  );
}

await main().catch((err) => {
  // Failures before the world exists (bad arguments, missing build): a message, not a stack.
  process.stderr.write(`e2e-gateway: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
