import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEventInput, AuditEventRecord, AuditStore, Store } from '../spec/store';
import { computeAuditHash } from '../store/audit-hash';
import { openEmbeddedStore } from '../store/embedded/embedded-store';
import { verifyAuditStore } from './verify';

const event = (n: number): AuditEventInput => ({
  event: 'project.updated',
  severity: 'info',
  actor: { type: 'admin_key', id: 'key-1', name: 'ops' },
  projectId: 'p-1',
  target: { type: 'project', id: 'p-1', name: 'demo' },
  metadata: { change: n },
  ip: '127.0.0.1',
});

describe('verifyAuditStore over the embedded store', () => {
  let dir: string;
  let path: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-audit-'));
    path = join(dir, 'audit.db');
    store = openEmbeddedStore({ path });
    for (let n = 1; n <= 7; n += 1) await store.audit.append(event(n));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Edits a stored event behind the store's back, as an attacker with file access would. */
  const tamper = (seq: number, edit: (doc: AuditEventRecord) => void): void => {
    const db = new Database(path);
    try {
      const row = db.prepare('SELECT doc FROM audit_events WHERE seq = ?').get(seq) as { doc: string };
      const doc = JSON.parse(row.doc) as AuditEventRecord;
      edit(doc);
      db.prepare('UPDATE audit_events SET doc = ? WHERE seq = ?').run(JSON.stringify(doc), seq);
    } finally {
      db.close();
    }
  };

  it('accepts an intact chain, across several pages', async () => {
    await expect(verifyAuditStore(store.audit, { pageSize: 3 })).resolves.toEqual({ ok: true, checked: 7, brokenAtSeq: null, reason: null });
  });

  it('accepts an empty chain', async () => {
    const empty = openEmbeddedStore({ path: ':memory:' });
    await expect(verifyAuditStore(empty.audit)).resolves.toEqual({ ok: true, checked: 0, brokenAtSeq: null, reason: null });
    await empty.close();
  });

  it('names the seq of an event whose metadata was edited in the database', async () => {
    tamper(4, (doc) => {
      doc.metadata = { change: 999 };
    });
    await expect(verifyAuditStore(store.audit, { pageSize: 2 })).resolves.toEqual({
      ok: false,
      checked: 4,
      brokenAtSeq: 4,
      reason: 'hash_mismatch',
    });
  });

  it('detects a forged event re-hashed by the attacker at the following link', async () => {
    tamper(2, (doc) => {
      doc.severity = 'critical';
      doc.hash = computeAuditHash(doc);
    });
    await expect(verifyAuditStore(store.audit)).resolves.toMatchObject({ ok: false, brokenAtSeq: 3, reason: 'prev_hash_mismatch' });
  });

  it('detects a deleted event as a gap', async () => {
    const db = new Database(path);
    db.prepare('DELETE FROM audit_events WHERE seq = 5').run();
    db.close();
    await expect(verifyAuditStore(store.audit)).resolves.toMatchObject({ ok: false, brokenAtSeq: 6, reason: 'seq_gap', checked: 5 });
  });

  it('uses the hash function it is given', async () => {
    const result = await verifyAuditStore(store.audit, { hashFn: () => 'not-a-hash' });
    expect(result).toEqual({ ok: false, checked: 1, brokenAtSeq: 1, reason: 'hash_mismatch' });
  });

  it('rejects a page size that cannot make progress', async () => {
    await expect(verifyAuditStore(store.audit, { pageSize: 0 })).rejects.toThrow(RangeError);
  });
});

describe('verifyAuditStore paging', () => {
  it('asks range() for successive pages after the last seq seen', async () => {
    const real = openEmbeddedStore({ path: ':memory:' });
    for (let n = 1; n <= 5; n += 1) await real.audit.append(event(n));
    const calls: [number, number][] = [];
    const spy: AuditStore = {
      append: (input) => real.audit.append(input),
      query: (q) => real.audit.query(q),
      range: (afterSeq, limit) => {
        calls.push([afterSeq, limit]);
        return real.audit.range(afterSeq, limit);
      },
    };
    await expect(verifyAuditStore(spy, { pageSize: 2 })).resolves.toMatchObject({ ok: true, checked: 5 });
    expect(calls).toEqual([
      [0, 2],
      [2, 2],
      [4, 2],
    ]);
    await real.close();
  });
});
