import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get, type IncomingMessage } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/load-config';
import { startRedisServer, type TestRedisServer } from '../testkit/redis-server';
import { parseWorkerCount } from './cluster';

/**
 * `portcullis serve --workers 2` from the BUILT CLI against a real redis-server. To see that two
 * different processes answer, the test asks Linux who owns each accepted socket: the gateway's
 * side of every keep-alive connection is matched in /proc/net/tcp by the client's port, and its
 * inode is looked up among the workers' file descriptors. No debug header or endpoint is added
 * to the product for this.
 */
const CLI = resolve(__dirname, '../../dist/cli/main.js');

function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: this test runs the built CLI and builds nothing itself. Run \`npx tsc -b\` first.`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** Resolves with everything written to stdout once `pattern` has matched `times` times. */
function waitForOutput(child: ChildProcess, pattern: RegExp, times: number, timeoutMs: number): Promise<string> {
  let out = '';
  let err = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} x${times}\nstdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      if ((out.match(new RegExp(pattern.source, 'g')) ?? []).length >= times) {
        clearTimeout(timer);
        resolvePromise(out);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before ${pattern} x${times}\nstdout:\n${out}\nstderr:\n${err}`));
    });
  });
}

function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(killer);
      r();
    });
    child.kill('SIGTERM');
  });
}

function childPids(parentPid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parentPid) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** The pid among `pids` holding the server side of the TCP connection serverPort <- clientPort. */
function socketOwner(serverPort: number, clientPort: number, pids: number[]): number | undefined {
  const rows = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((f) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').slice(1) : []));
  const portOf = (addr: string): number => parseInt(addr.split(':')[1] ?? '', 16);
  const row = rows.map((l) => l.trim().split(/\s+/)).find((f) => f.length > 9 && portOf(f[1]!) === serverPort && portOf(f[2]!) === clientPort);
  if (!row) return undefined;
  const link = `socket:[${row[9]}]`;
  return pids.find((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`) === link;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

/** GET over the agent; `clientPort` is read while the response holds the socket (keep-alive hands it back after). */
function getKeepAlive(url: string, agent: Agent): Promise<{ status: number; body: string; clientPort: number | undefined }> {
  return new Promise((r, j) => {
    get(url, { agent }, (res: IncomingMessage) => {
      const clientPort = (res.socket as Socket | null)?.localPort;
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => r({ status: res.statusCode ?? 0, body, clientPort }));
    }).on('error', j);
  });
}

function runCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('parseWorkerCount', () => {
  it('takes the config value when the flag is absent', () => {
    expect(parseWorkerCount(undefined, 3)).toBe(3);
  });
  it('accepts whole numbers, 0 meaning one per core', () => {
    expect(parseWorkerCount('0', 1)).toBe(0);
    expect(parseWorkerCount('4', 1)).toBe(4);
  });
  it.each(['abc', '-1', '1.5', '', ' ', '2x', '1e3'])('refuses %j with a ConfigError', (raw) => {
    expect(() => parseWorkerCount(raw, 1)).toThrow(ConfigError);
  });
});

describe('portcullis serve --workers (built CLI)', () => {
  let dir: string;
  let redis: TestRedisServer | undefined;
  let primary: ChildProcess | undefined;
  let redisPort: number;

  beforeAll(async () => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'portcullis-cluster-'));
    redis = await startRedisServer();
    redisPort = redis.port;
  }, 30_000);

  afterAll(async () => {
    await stopProcess(primary);
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  const writeConfig = (name: string, withRedis: boolean, redisUrl = `redis://127.0.0.1:${redisPort}`): string => {
    const path = join(dir, name);
    writeFileSync(
      path,
      [
        'server: { port: 0, host: 127.0.0.1 }',
        `store: { driver: embedded, path: ./${name}.db }`,
        ...(withRedis ? [`redis: { url: "${redisUrl}" }`] : []),
        'projects:',
        '  - name: Cluster',
        '    type: ai_wrapper',
        '    tokens: [ { name: generated, scopes: [chat] } ]',
      ].join('\n'),
    );
    return path;
  };

  it('refuses more than one worker without redis in the config', async () => {
    const child = runCli(['serve', '-c', writeConfig('no-redis.yaml', false), '--workers', '2'], {});
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toContain('--workers > 1 needs `redis:`');
  }, 30_000);

  it('refuses a --workers value that is not a whole number', async () => {
    const child = runCli(['serve', '-c', writeConfig('bad-count.yaml', true), '--workers', 'two'], {});
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toContain('--workers must be a whole number');
  }, 30_000);

  it('stops with exit code 1 instead of re-forking when workers die before serving', async () => {
    // Nothing listens on the Redis port: the primary's apply announcement only warns, but every
    // worker fails its boot, so a replacement would fail the same way forever.
    const closed = await freePort();
    const child = runCli(['serve', '-c', writeConfig('dead-redis.yaml', true, `redis://127.0.0.1:${closed}`), '--workers', '2'], {});
    let stdout = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stdout).toContain('a worker exited before it was serving');
  }, 60_000);

  it('applies the config once, then two workers share the port and both answer', async () => {
    primary = runCli(['serve', '-c', writeConfig('cluster.yaml', true), '--workers', '2'], {});
    const out = await waitForOutput(primary, /Portcullis is listening on/, 2, 60_000);

    // The primary applied the config: the generated token was printed once, by it alone.
    expect(out.match(/token Cluster\/generated \(shown once/g)).toHaveLength(1);
    const urls = [...out.matchAll(/Portcullis is listening on (http:\/\/\S+)/g)].map((m) => m[1]);
    expect(new Set(urls).size).toBe(1);
    const base = urls[0]!;
    const port = Number(new URL(base).port);

    const workers = childPids(primary.pid!);
    expect(workers).toHaveLength(2);

    // Several keep-alive connections at once; the primary deals them out round-robin.
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, () => getKeepAlive(`${base}/healthz`, agent)));
      for (const a of answers) expect(a).toMatchObject({ status: 200, body: '{"status":"ok"}' });
      const owners = answers.map((a) => (a.clientPort === undefined ? undefined : socketOwner(port, a.clientPort, workers)));
      expect(owners.every((pid) => pid !== undefined && workers.includes(pid))).toBe(true);
      expect(new Set(owners).size).toBe(2);
    } finally {
      agent.destroy();
    }

    // SIGTERM to the primary stops the workers and the primary.
    const exited = new Promise<number | null>((r) => primary!.once('exit', r));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(workers.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
  }, 90_000);
});
