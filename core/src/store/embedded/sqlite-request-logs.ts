import type Database from 'better-sqlite3';
import type {
  Page,
  RequestLogQuery,
  RequestLogRecord,
  RequestLogStore,
  UsageSummaryQuery,
  UsageSummaryRow,
} from '../../spec/store';
import { assertSummaryQuery, decodeLogCursor, effectiveModel, encodeLogCursor, pageLimit } from '../paging';
import { sortSummaryRows } from '../summarize';
import { StatementCache } from './statement-cache';

/** Filterable fields live in columns (indexed); the full record is kept as JSON in `doc`. */
export const REQUEST_LOG_DDL = `
CREATE TABLE IF NOT EXISTS request_logs (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  project_id TEXT,
  token_id TEXT,
  provider TEXT,
  model TEXT,
  status INTEGER NOT NULL,
  error_code TEXT,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cost_usd REAL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_request_logs_at ON request_logs (at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_request_logs_project_at ON request_logs (project_id, at DESC, id DESC);
CREATE INDEX IF NOT EXISTS ix_request_logs_token_at ON request_logs (token_id, at DESC, id DESC);
`;

const GROUP_COLUMN: Record<UsageSummaryQuery['groupBy'], string> = {
  project: 'project_id',
  provider: 'provider',
  model: 'model',
  token: 'token_id',
};

interface SummaryRowSql {
  key: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpricedRequests: number;
}

export class SqliteRequestLogStore implements RequestLogStore {
  private readonly statements: StatementCache;
  private readonly insertBatch: Database.Transaction<(records: RequestLogRecord[]) => void>;

  constructor(
    private readonly db: Database.Database,
    /** Request logs are high-volume telemetry: they may trade fsyncs for throughput. */
    private readonly withRelaxedSync: <R>(fn: () => R) => R,
  ) {
    this.statements = new StatementCache(db);
    const insert = db.prepare(
      `INSERT OR IGNORE INTO request_logs
         (id, at, project_id, token_id, provider, model, status, error_code, input_tokens, output_tokens, cost_usd, doc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertBatch = db.transaction((records: RequestLogRecord[]) => {
      for (const r of records) {
        insert.run(
          r.id,
          r.at,
          r.projectId ?? null,
          r.tokenId ?? null,
          r.provider ?? null,
          effectiveModel(r),
          r.status,
          r.errorCode ?? null,
          r.inputTokens ?? null,
          r.outputTokens ?? null,
          r.costUsd ?? null,
          JSON.stringify(r),
        );
      }
    });
  }

  /** One transaction per batch. Re-sending a record with a known id is ignored (idempotent retry). */
  async appendMany(records: RequestLogRecord[]): Promise<void> {
    if (records.length === 0) return;
    this.withRelaxedSync(() => this.insertBatch.immediate(records));
  }

  async get(id: string): Promise<RequestLogRecord | null> {
    const row = this.statements.get('SELECT doc FROM request_logs WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as RequestLogRecord) : null;
  }

  async query(q: RequestLogQuery): Promise<Page<RequestLogRecord>> {
    const limit = pageLimit(q.limit);
    const cursor = decodeLogCursor(q.cursor);
    const where: string[] = [];
    const params: (string | number)[] = [];
    const eq = (column: string, value: string | number | undefined): void => {
      if (value === undefined) return;
      where.push(`${column} = ?`);
      params.push(value);
    };
    eq('project_id', q.projectId);
    eq('token_id', q.tokenId);
    eq('provider', q.provider);
    eq('model', q.model);
    eq('status', q.status);
    eq('error_code', q.errorCode);
    if (q.from !== undefined) {
      where.push('at >= ?');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('at < ?');
      params.push(q.to);
    }
    if (cursor) {
      where.push('(at < ? OR (at = ? AND id < ?))');
      params.push(cursor.at, cursor.at, cursor.id);
    }
    const sql = `SELECT doc FROM request_logs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY at DESC, id DESC LIMIT ?`;
    // One extra row tells whether another page exists without a second query.
    const rows = this.statements.get(sql).all(...params, limit + 1) as { doc: string }[];
    const items = rows.slice(0, limit).map((row) => JSON.parse(row.doc) as RequestLogRecord);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeLogCursor({ at: last.at, id: last.id }) : null };
  }

  async summarize(q: UsageSummaryQuery): Promise<UsageSummaryRow[]> {
    assertSummaryQuery(q);
    const column = GROUP_COLUMN[q.groupBy];
    const params: string[] = [q.from, q.to];
    let projectClause = '';
    if (q.projectId !== undefined) {
      projectClause = 'AND project_id = ?';
      params.push(q.projectId);
    }
    const rows = this.statements
      .get(
        `SELECT ${column} AS key,
                COUNT(*) AS requests,
                COALESCE(SUM(input_tokens), 0) AS inputTokens,
                COALESCE(SUM(output_tokens), 0) AS outputTokens,
                COALESCE(SUM(cost_usd), 0) AS costUsd,
                SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpricedRequests
         FROM request_logs WHERE at >= ? AND at < ? ${projectClause}
         GROUP BY ${column}`,
      )
      .all(...params) as SummaryRowSql[];
    return sortSummaryRows(rows.map((row) => ({ ...row })));
  }
}
