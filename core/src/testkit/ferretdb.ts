import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A FerretDB 1.x (MongoDB wire protocol over SQLite) server for tests. */
export interface FerretDbServer {
  /** mongodb://127.0.0.1:<port>/ with no database name: callers pick one per test run. */
  uri: string;
  stop(): Promise<void>;
}

export interface StartFerretDbOptions {
  /** Defaults to `<repo>/.tools/bin/ferretdb`, built by `bash scripts/ensure-ferretdb.sh`. */
  binary?: string;
  /** How long to wait for the server to accept connections (ms). */
  startTimeoutMs?: number;
}

/** core/src/testkit (or core/dist/testkit) -> the repository root. */
export function repoRoot(): string {
  return resolve(__dirname, '..', '..', '..');
}

export function defaultFerretDbBinary(): string {
  return join(repoRoot(), '.tools', 'bin', 'ferretdb');
}

export class FerretDbUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FerretDbUnavailableError';
  }
}

/**
 * Starts FerretDB on a free loopback port with a throwaway SQLite directory, and resolves once
 * it accepts TCP connections. Telemetry and the debug HTTP listener are off: the server talks to
 * nothing but its local client.
 */
export async function startFerretDb(options: StartFerretDbOptions = {}): Promise<FerretDbServer> {
  const binary = options.binary ?? defaultFerretDbBinary();
  if (!existsSync(binary)) {
    throw new FerretDbUnavailableError(`FerretDB binary not found at ${binary}. Run \`bash scripts/ensure-ferretdb.sh\` to build it.`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-ferretdb-'));
  const port = await freeLoopbackPort();
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DO_NOT_TRACK: '1' } },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  const cleanup = async (): Promise<void> => {
    await stopProcess(child);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntilListening(child, port, options.startTimeoutMs ?? 30_000, () => stderr);
  } catch (err) {
    await cleanup();
    throw err;
  }

  let stopped: Promise<void> | null = null;
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    stop: () => (stopped ??= cleanup()),
  };
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilListening(child: ChildProcess, port: number, timeoutMs: number, stderr: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new FerretDbUnavailableError(`FerretDB exited during start (code ${child.exitCode}, signal ${child.signalCode}): ${stderr()}`);
    }
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new FerretDbUnavailableError(`FerretDB did not accept connections on 127.0.0.1:${port} within ${timeoutMs} ms: ${stderr()}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once('error', () => resolveConnect(false));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
