import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/**
 * Starts a throw-away `redis-server` on 127.0.0.1 for tests that need real Redis semantics
 * (Lua atomicity, TTLs, a connection that really dies). Nothing is persisted. The server can
 * be killed and restarted on the same port to test outages and recovery.
 */
export interface TestRedisServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Pid of the running server, or null while it is stopped. */
  readonly pid: number | null;
  /** SIGKILLs the server (an outage, not a shutdown) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (empty: nothing was persisted). */
  restart(): Promise<void>;
  /** Stops the server for good. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** Path of the binary; default `redis-server` from PATH (installed at /usr/bin here). */
  binary?: string;
  /** How long to wait for the server to answer PING. */
  startTimeoutMs?: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not allocate a port');
  return address.port;
}

/** One raw PING over a socket: no client library, so the helper cannot share a client's state. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(200, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

async function waitUntilReady(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited early with code ${child.exitCode}`);
    if (await ping(port)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`redis-server on port ${port} did not become ready within ${timeoutMs} ms`);
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedisServer(options: StartRedisOptions = {}): Promise<TestRedisServer> {
  const binary = options.binary ?? 'redis-server';
  const startTimeoutMs = options.startTimeoutMs ?? 5000;
  const port = await freePort();
  let child: ChildProcess | null = null;

  const launch = async (): Promise<void> => {
    const proc = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
      { stdio: 'ignore' },
    );
    child = proc;
    await new Promise<void>((resolve, reject) => {
      proc.once('spawn', () => resolve());
      proc.once('error', reject);
    });
    await waitUntilReady(port, proc, startTimeoutMs);
  };

  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const proc: ChildProcess | null = child;
    child = null;
    if (!proc || proc.pid === undefined) return;
    const exited = waitForExit(proc);
    proc.kill(signal);
    await exited;
  };

  await launch();
  return {
    host: '127.0.0.1',
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      const proc: ChildProcess | null = child;
      return proc?.pid ?? null;
    },
    kill: () => terminate('SIGKILL'),
    restart: async () => {
      await terminate('SIGKILL');
      await launch();
    },
    stop: () => terminate('SIGTERM'),
  };
}
