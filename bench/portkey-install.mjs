/**
 * Installs Portkey's open-source gateway on demand into `.tools/portkey/` (gitignored), never as a
 * project dependency: the bench compares against it, the product does not use it.
 *
 * Why the overrides: Portkey's own package-lock (v1.15.2) pins @hono/node-server 1.13.5,
 * @hono/node-ws 1.2.0 and hono 4.9.7, but its package.json allows any ^1 / ^4, so a plain
 * install today pulls @hono/node-server 1.19.x. That version's lightweight Response keeps the
 * upstream fetch response's immutable Headers, and Portkey's header update then throws on every
 * streamed answer (HTTP 500 "Something went wrong"). Pinning what Portkey ships runs Portkey as
 * its maintainers test it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PORTKEY_VERSION = '1.15.2';
const PORTKEY_PIN = { '@hono/node-server': '1.13.5', '@hono/node-ws': '1.2.0', hono: '4.9.7' };
export const PORTKEY_DIR = fileURLToPath(new URL('../.tools/portkey/', import.meta.url));
const PACKAGE_DIR = join(PORTKEY_DIR, 'node_modules', '@portkey-ai', 'gateway');
export const PORTKEY_SERVER = join(PACKAGE_DIR, 'build', 'start-server.js');
const INSTALL_TIMEOUT_MS = 180_000;

const manifest = () => ({ private: true, dependencies: { '@portkey-ai/gateway': PORTKEY_VERSION }, overrides: PORTKEY_PIN });

function installedVersion(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

function isReady() {
  const honoServer = join(PORTKEY_DIR, 'node_modules', '@hono', 'node-server');
  return existsSync(PORTKEY_SERVER) && installedVersion(PACKAGE_DIR) === PORTKEY_VERSION
    && installedVersion(honoServer) === PORTKEY_PIN['@hono/node-server'];
}

/** Returns `{ server }` (the path of Portkey's start-server.js) or `{ skip }` with the reason. */
export function ensurePortkey(log) {
  if (isReady()) return { server: PORTKEY_SERVER };
  log(`portkey: installing @portkey-ai/gateway@${PORTKEY_VERSION} into ${PORTKEY_DIR} (once)`);
  mkdirSync(PORTKEY_DIR, { recursive: true });
  writeFileSync(join(PORTKEY_DIR, 'package.json'), `${JSON.stringify(manifest(), null, 2)}\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['install', '--prefix', PORTKEY_DIR, '--no-audit', '--no-fund', '--loglevel=error'], {
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
  });
  if (run.error || run.status !== 0) {
    const why = run.error?.message ?? (run.stderr || '').trim().split('\n').slice(-3).join(' | ');
    return { skip: `npm install failed (${why || `exit ${run.status}`})` };
  }
  return isReady() ? { server: PORTKEY_SERVER } : { skip: 'npm install finished but the pinned versions are not in place' };
}
