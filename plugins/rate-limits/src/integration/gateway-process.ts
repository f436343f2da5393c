import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/**
 * Runs the real CLI (`node core/dist/cli/main.js serve -c <yaml>`) as a separate OS process,
 * as an operator deploys it: plugins and adapters are loaded by package name from their built
 * dist folders, so a missing or stale build fails here, not in production.
 */
export const REPO_ROOT = resolve(__dirname, '../../../..');
export const CLI_PATH = join(REPO_ROOT, 'core/dist/cli/main.js');

/** Throws a message that says what to run when a dist folder the CLI needs is missing. */
export function requireBuiltDist(packageDirs: string[]): void {
  const missing = [CLI_PATH, ...packageDirs.map((dir) => join(REPO_ROOT, dir, 'dist/index.js'))].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(`These tests spawn the built CLI, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: run \`npx tsc -b\` at the repo root first.`);
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  await new Promise<void>((ok) => server.close(() => ok()));
  if (address === null || typeof address === 'string') throw new Error('could not allocate a port');
  return address.port;
}

export interface GatewayProcess {
  readonly url: string;
  readonly pid: number;
  /** Last lines the process wrote (for failure messages). */
  output(): string;
  /** SIGTERM (graceful: finishes in-flight requests), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_LINES_KEPT = 40;

export async function startGatewayProcess(options: { configPath: string; port: number; env: Record<string, string>; readyTimeoutMs?: number }): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(process.execPath, [CLI_PATH, 'serve', '-c', options.configPath], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
    if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
  };
  // Always drained: a full pipe would block the child's logger.
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const url = `http://127.0.0.1:${options.port}`;
  const handle: GatewayProcess = {
    url,
    pid: child.pid ?? -1,
    output: () => lines.join('\n'),
    stop: async (graceMs = 5000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(handle.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(handle.pid, 'SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway process exited with code ${child.exitCode} before it was ready:\n${handle.output()}`);
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return handle;
    await new Promise((r) => setTimeout(r, 50));
  }
  await handle.stop(0);
  throw new Error(`gateway process on port ${options.port} was not ready in time:\n${handle.output()}`);
}
