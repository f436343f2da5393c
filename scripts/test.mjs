#!/usr/bin/env node
/**
 * `npm test`: everything a fresh clone needs to run the whole suite, then the suite.
 *  1. build + type-check (`tsc -b`; the Python suite drives the built gateway),
 *  2. test infrastructure: FerretDB (built with Go, cached in .tools/), redis-server (Debian
 *     package), a Python venv with the official `openai` SDK (.tools/py),
 *  3. Jest (all workspaces), then pytest (Python SDK against a live gateway),
 *  4. one closing line: `tests: N passed, M failed`.
 * Slow suites (soak, benchmarks) are not part of this: see `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, '.test-results');
mkdirSync(results, { recursive: true });

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
function step(title) {
  process.stdout.write(`\n== ${title}\n`);
}
function fail(message) {
  process.stderr.write(`\nnpm test: ${message}\n`);
  process.stdout.write('tests: 0 passed, 1 failed\n');
  process.exit(1);
}
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

step('build and type-check (tsc -b)');
if (run('npx', ['tsc', '-b']) !== 0) fail('the type check failed');

step('test infrastructure');
if (!has('redis-server')) {
  // Root on a Debian machine (CI, dev containers): install it; anywhere else say how.
  if (process.getuid?.() === 0 && has('apt-get')) {
    run('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server']);
  }
  if (!has('redis-server')) fail('redis-server is required by the multi-instance tests: install it (Debian: apt-get install redis-server)');
}
if (!process.env.MONGODB_URI) {
  if (!has('go') && !existsSync('/usr/local/go/bin/go')) fail('Go is required to build FerretDB for the MongoDB store tests (or set MONGODB_URI)');
  if (run('bash', ['scripts/ensure-ferretdb.sh']) !== 0) fail('building FerretDB failed (or set MONGODB_URI to any MongoDB)');
}
const venv = join(root, '.tools', 'py');
const requirements = join(root, 'tests', 'python', 'requirements.txt');
const stamp = join(venv, '.requirements.sha256');
const wanted = createHash('sha256').update(readFileSync(requirements)).digest('hex');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
  if (run('python3', ['-m', 'venv', venv]) !== 0) fail('could not create the Python venv (python3 -m venv)');
  if (run(join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', '-r', requirements]) !== 0) fail('pip install failed');
  writeFileSync(stamp, wanted);
}

step('jest');
const jestJson = join(results, 'jest.json');
run('npx', ['jest', '--ci', '--json', `--outputFile=${jestJson}`], { env: { ...process.env, FORCE_COLOR: '0' } });
let jest = { numPassedTests: 0, numFailedTests: 1, numPendingTests: 0, numTotalTestSuites: 0, numFailedTestSuites: 1, testResults: [] };
try {
  jest = JSON.parse(readFileSync(jestJson, 'utf8'));
} catch {
  process.stderr.write('jest did not write its results\n');
}

step('pytest (official Python openai SDK)');
const junit = join(results, 'pytest.xml');
run(join(venv, 'bin', 'pytest'), ['tests/python', '-q', `--junitxml=${junit}`]);
let py = { passed: 0, failed: 1, skipped: 0 };
try {
  const xml = readFileSync(junit, 'utf8');
  const attr = (name) => Number(new RegExp(`<testsuite[^>]*\\s${name}="(\\d+)"`).exec(xml)?.[1] ?? 0);
  const total = attr('tests');
  const failed = attr('failures') + attr('errors');
  const skipped = attr('skipped');
  py = { passed: total - failed - skipped, failed, skipped };
} catch {
  process.stderr.write('pytest did not write its results\n');
}

// A suite that failed to run at all (syntax error, crash in setup) has no failed test but must count.
const crashedSuites = (jest.testResults ?? []).filter((r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed')).length;
const passed = jest.numPassedTests + py.passed;
const failed = jest.numFailedTests + crashedSuites + py.failed;
const skipped = (jest.numPendingTests ?? 0) + py.skipped;
process.stdout.write(`\njest: ${jest.numPassedTests} passed, ${jest.numFailedTests} failed (${jest.numTotalTestSuites} suites, ${jest.numFailedTestSuites} failed)\n`);
process.stdout.write(`pytest: ${py.passed} passed, ${py.failed} failed\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed === 0 && passed > 0 && skipped === 0 ? 0 : 1);
