import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyAuditChain } from '../audit-hash';
import { openEmbeddedStore } from './embedded-store';

const root = mkdtempSync(join(tmpdir(), 'portcullis-crash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Committed {
  projectId: string;
  seq: number;
  i: number;
}

/** Runs the writer until it has reported `minWrites` commits, then kills it with SIGKILL. */
function runAndKill(path: string, minWrites: number): Promise<Committed[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '__fixtures__', 'crash-writer.js'), path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: Committed[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [, projectId, seq, i] = line.split(' ');
        committed.push({ projectId: projectId!, seq: Number(seq), i: Number(i) });
      }
      if (!killed && committed.length >= minWrites) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(committed);
      else reject(new Error(`writer exited with ${code ?? signal} before it was killed: ${stderr}`));
    });
  });
}

describe('embedded store durability', () => {
  it('a writer killed with SIGKILL loses no committed config, audit event or setting', async () => {
    const path = join(root, 'crash', 'portcullis.db');
    const committed = await runAndKill(path, 40);
    expect(committed.length).toBeGreaterThanOrEqual(40);

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const store = openEmbeddedStore({ path });
    try {
      for (const c of committed) expect(await store.projects.get(c.projectId)).not.toBeNull();
      const chain = await store.audit.range(0, 100_000);
      expect(chain.length).toBeGreaterThanOrEqual(committed.length);
      expect(verifyAuditChain(chain)).toBeNull();
      const last = committed[committed.length - 1]!;
      expect(Number(await store.settings.get('last'))).toBeGreaterThanOrEqual(last.i);
      // The chain goes on after the crash.
      const next = await store.audit.append({ event: 'after.crash', severity: 'info', actor: { type: 'system' } });
      expect(next.seq).toBe(chain.length + 1);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('two processes appending to one file keep one audit chain', async () => {
    const path = join(root, 'shared', 'portcullis.db');
    await openEmbeddedStore({ path }).close();
    const [a, b] = await Promise.all([runAndKill(path, 30), runAndKill(path, 30)]);
    const store = openEmbeddedStore({ path });
    try {
      const chain = await store.audit.range(0, 100_000);
      expect(verifyAuditChain(chain)).toBeNull();
      const seqs = [...a, ...b].map((c) => c.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      for (const c of [...a, ...b]) expect(await store.projects.get(c.projectId)).not.toBeNull();
    } finally {
      await store.close();
    }
  }, 60_000);
});
