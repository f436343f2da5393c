import type Database from 'better-sqlite3';
import type { AuditEventInput, AuditEventRecord, AuditQuery, AuditStore, Page } from '../../spec/store';
import { AUDIT_GENESIS_HASH } from '../audit-hash';
import { assertRangeArgs, buildAuditEvent } from '../audit-input';
import { isoNow } from '../entities';
import { newId } from '../ids';
import { decodeAuditCursor, encodeAuditCursor, pageLimit } from '../paging';
import { StatementCache } from './statement-cache';

export const AUDIT_DDL = `
CREATE TABLE IF NOT EXISTS audit_events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  at TEXT NOT NULL,
  event TEXT NOT NULL,
  severity TEXT NOT NULL,
  project_id TEXT,
  hash TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_audit_project_seq ON audit_events (project_id, seq DESC);
CREATE INDEX IF NOT EXISTS ix_audit_event_seq ON audit_events (event, seq DESC);
`;

export class SqliteAuditStore implements AuditStore {
  private readonly statements: StatementCache;
  private readonly appendTx: Database.Transaction<(input: AuditEventInput) => AuditEventRecord>;

  constructor(db: Database.Database) {
    this.statements = new StatementCache(db);
    const head = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
    const insert = db.prepare(
      'INSERT INTO audit_events (seq, id, at, event, severity, project_id, hash, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    // Reading the head and inserting the successor in one IMMEDIATE transaction: other
    // processes on the same file wait for the write lock, so every event links to its true
    // predecessor.
    this.appendTx = db.transaction((input: AuditEventInput): AuditEventRecord => {
      const last = head.get() as { seq: number; hash: string } | undefined;
      const event = buildAuditEvent(input, newId(), (last?.seq ?? 0) + 1, last?.hash ?? AUDIT_GENESIS_HASH, isoNow());
      insert.run(event.seq, event.id, event.at, event.event, event.severity, event.projectId ?? null, event.hash, JSON.stringify(event));
      return event;
    });
  }

  async append(input: AuditEventInput): Promise<AuditEventRecord> {
    return this.appendTx.immediate(input);
  }

  async range(afterSeq: number, limit: number): Promise<AuditEventRecord[]> {
    assertRangeArgs(afterSeq, limit);
    const rows = this.statements.get('SELECT doc FROM audit_events WHERE seq > ? ORDER BY seq ASC LIMIT ?').all(afterSeq, limit) as {
      doc: string;
    }[];
    return rows.map((row) => JSON.parse(row.doc) as AuditEventRecord);
  }

  async query(q: AuditQuery): Promise<Page<AuditEventRecord>> {
    const limit = pageLimit(q.limit);
    const cursor = decodeAuditCursor(q.cursor);
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (clause: string, value: string | number | undefined): void => {
      if (value === undefined) return;
      where.push(clause);
      params.push(value);
    };
    add('project_id = ?', q.projectId);
    add('event = ?', q.event);
    if (q.eventPrefix !== undefined) {
      // substr comparison instead of LIKE: no wildcard escaping, and case-sensitive.
      where.push('substr(event, 1, ?) = ?');
      params.push(q.eventPrefix.length, q.eventPrefix);
    }
    add('severity = ?', q.severity);
    add('at >= ?', q.from);
    add('at < ?', q.to);
    add('seq < ?', cursor ?? undefined);
    const sql = `SELECT doc FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    const rows = this.statements.get(sql).all(...params, limit + 1) as { doc: string }[];
    const items = rows.slice(0, limit).map((row) => JSON.parse(row.doc) as AuditEventRecord);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeAuditCursor(last.seq) : null };
  }
}
