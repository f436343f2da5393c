import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../../spec/plugin';
import { STORE_SPEC_VERSION, type Repository, type Store } from '../../spec/store';
import { ENTITY_NAMES, LOOKUP_FIELDS, STORAGE_NAMES, uniqueKeysOf, type EntityName, type EntityRecords } from '../entities';
import { AUDIT_DDL, SqliteAuditStore } from './sqlite-audit';
import { SqliteRepository, jsonField } from './sqlite-repository';
import { REQUEST_LOG_DDL, SqliteRequestLogStore } from './sqlite-request-logs';
import { SETTINGS_DDL, SqliteSettingsStore } from './sqlite-settings';

export const DEFAULT_EMBEDDED_PATH = './data/portcullis.db';

export interface EmbeddedStoreOptions {
  /** SQLite file; its directory is created. `:memory:` for throwaway tests. */
  path?: string;
  logger?: Logger;
  /** How long a write waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number;
}

function entityDdl(entity: EntityName): string {
  const table = STORAGE_NAMES[entity];
  const statements = [`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT NOT NULL);`];
  uniqueKeysOf(entity).forEach((key, position) => {
    // ifnull(..., ''): SQLite treats NULLs as distinct in unique indexes, but an absent or null
    // member (a service OAuth connection's subject, a global policy's projectId) must still
    // collide with another record that also lacks it.
    const columns = key.map((field) => `ifnull(${jsonField(field)}, '')`).join(', ');
    statements.push(`CREATE UNIQUE INDEX IF NOT EXISTS ux_${table}_${position} ON ${table} (${columns});`);
  });
  for (const field of LOOKUP_FIELDS[entity] ?? []) {
    statements.push(`CREATE INDEX IF NOT EXISTS ix_${table}_${field} ON ${table} (${jsonField(field)});`);
  }
  return statements.join('\n');
}

type Repositories = { [K in EntityName]: Repository<EntityRecords[K]> };

/**
 * The default store: one SQLite file, no server. WAL lets readers run beside the writer.
 *
 * Durability: WAL + synchronous=FULL fsyncs the WAL at every commit, so committed config survives
 * a process kill and also an OS crash or power loss. (NORMAL would already survive kill -9, since
 * the WAL lives in the OS page cache, but not power loss.) Request-log batches, which are
 * telemetry and the bulk of writes, run under NORMAL to avoid an fsync per batch.
 */
export function openEmbeddedStore(options: EmbeddedStoreOptions = {}): Store {
  const path = options.path ?? DEFAULT_EMBEDDED_PATH;
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path);
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
  if (!inMemory) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(ENTITY_NAMES.map(entityDdl).join('\n') + REQUEST_LOG_DDL + AUDIT_DDL + SETTINGS_DDL);

  const withRelaxedSync = <R>(fn: () => R): R => {
    db.pragma('synchronous = NORMAL');
    try {
      return fn();
    } finally {
      db.pragma('synchronous = FULL');
    }
  };

  const repositories = Object.fromEntries(
    ENTITY_NAMES.map((entity) => [entity, new SqliteRepository(db, entity, STORAGE_NAMES[entity], uniqueKeysOf(entity))]),
  ) as unknown as Repositories;

  let closed = false;
  options.logger?.debug({ path: inMemory ? path : resolve(path) }, 'embedded store opened');
  return {
    specVersion: STORE_SPEC_VERSION,
    driver: 'embedded',
    ...repositories,
    requestLogs: new SqliteRequestLogStore(db, withRelaxedSync),
    audit: new SqliteAuditStore(db),
    settings: new SqliteSettingsStore(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
