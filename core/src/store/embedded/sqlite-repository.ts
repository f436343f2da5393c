import type Database from 'better-sqlite3';
import type { BaseRecord, Filter, NewRecord, Repository } from '../../spec/store';
import { applyPatch, isoNow, normaliseFilter, stampNewRecord, type ScalarFilterValue } from '../entities';
import { newId } from '../ids';
import { toConflictError } from './sqlite-errors';
import { StatementCache } from './statement-cache';

/** SQL expression for a top-level JSON field of `doc`. Field names are validated beforehand. */
export function jsonField(field: string): string {
  return `json_extract(doc, '$.${field}')`;
}

/** better-sqlite3 binds no booleans; JSON booleans read back from json_extract as 1/0. */
function bindable(value: Exclude<ScalarFilterValue, null>): string | number {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function whereClause(filter: object | undefined): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  for (const [field, value] of normaliseFilter(filter)) {
    if (field === 'id') {
      if (value === null) parts.push('0');
      else {
        parts.push('id = ?');
        params.push(bindable(value));
      }
    } else if (value === null) {
      parts.push(`${jsonField(field)} IS NULL`);
    } else {
      // json_type guards against 1 matching true and '1' matching 1.
      parts.push(`(${jsonField(field)} = ? AND json_type(doc, '$.${field}') IN (${jsonTypesFor(value)}))`);
      params.push(bindable(value));
    }
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function jsonTypesFor(value: Exclude<ScalarFilterValue, null>): string {
  if (typeof value === 'boolean') return "'true','false'";
  if (typeof value === 'number') return "'integer','real'";
  return "'text'";
}

/**
 * One table per entity: `id TEXT PRIMARY KEY, doc TEXT` (the record as JSON), unique keys as
 * expression indexes. better-sqlite3 is synchronous, so each method runs to completion without
 * interleaving in this process; IMMEDIATE transactions serialise against other processes.
 */
export class SqliteRepository<T extends BaseRecord> implements Repository<T> {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Database.Database,
    private readonly entity: string,
    private readonly table: string,
    private readonly uniqueKeys: readonly (readonly string[])[],
  ) {
    this.statements = new StatementCache(db);
  }

  async get(id: string): Promise<T | null> {
    return this.getSync(id);
  }

  async findOne(filter: Filter<T>): Promise<T | null> {
    const { sql, params } = whereClause(filter);
    const row = this.statements.get(`SELECT doc FROM ${this.table} ${sql} ORDER BY rowid LIMIT 1`).get(...params) as
      | { doc: string }
      | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  async find(filter?: Filter<T>): Promise<T[]> {
    const { sql, params } = whereClause(filter);
    const rows = this.statements.get(`SELECT doc FROM ${this.table} ${sql} ORDER BY rowid`).all(...params) as { doc: string }[];
    return rows.map((row) => JSON.parse(row.doc) as T);
  }

  async create(input: NewRecord<T>): Promise<T> {
    const record = stampNewRecord<T>(input, input.id ?? newId(), isoNow());
    this.insertSync(record);
    return record;
  }

  async update(id: string, patch: Partial<Omit<T, 'id' | 'createdAt'>>): Promise<T | null> {
    const run = this.db.transaction((): T | null => {
      const current = this.getSync(id);
      if (!current) return null;
      const next = applyPatch(current, patch, isoNow());
      this.writeSync(next);
      return next;
    });
    return run.immediate();
  }

  async upsert(filter: Filter<T>, input: NewRecord<T>): Promise<T> {
    const { sql, params } = whereClause(filter);
    if (!sql) throw new TypeError(`store: ${this.entity}.upsert needs a non-empty filter`);
    const run = this.db.transaction((): T => {
      const row = this.statements.get(`SELECT doc FROM ${this.table} ${sql} ORDER BY rowid LIMIT 1`).get(...params) as
        | { doc: string }
        | undefined;
      const now = isoNow();
      if (row) {
        // The matched record keeps its id and createdAt; everything else comes from input.
        const current = JSON.parse(row.doc) as T;
        const next = applyPatch(current, { ...input, ...filter }, now);
        this.writeSync(next);
        return next;
      }
      const chosenId = (filter as { id?: string }).id ?? input.id ?? newId();
      const created = stampNewRecord<T>({ ...input, ...filter }, chosenId, now);
      this.insertSync(created);
      return created;
    });
    return run.immediate();
  }

  async delete(id: string): Promise<boolean> {
    return this.statements.get(`DELETE FROM ${this.table} WHERE id = ?`).run(id).changes > 0;
  }

  private getSync(id: string): T | null {
    const row = this.statements.get(`SELECT doc FROM ${this.table} WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  private insertSync(record: T): void {
    try {
      this.statements.get(`INSERT INTO ${this.table} (id, doc) VALUES (?, ?)`).run(record.id, JSON.stringify(record));
    } catch (err) {
      throw toConflictError(err, this.entity, this.uniqueKeys) ?? err;
    }
  }

  private writeSync(record: T): void {
    try {
      this.statements.get(`UPDATE ${this.table} SET doc = ? WHERE id = ?`).run(JSON.stringify(record), record.id);
    } catch (err) {
      throw toConflictError(err, this.entity, this.uniqueKeys) ?? err;
    }
  }
}
