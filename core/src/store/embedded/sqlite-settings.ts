import type Database from 'better-sqlite3';
import type { SettingsStore } from '../../spec/store';
import { StatementCache } from './statement-cache';

export const SETTINGS_DDL = `CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;

export class SqliteSettingsStore implements SettingsStore {
  private readonly statements: StatementCache;
  private readonly setIfAbsentTx: Database.Transaction<(key: string, value: string) => string>;

  constructor(db: Database.Database) {
    this.statements = new StatementCache(db);
    const insertIgnore = db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)');
    const read = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.setIfAbsentTx = db.transaction((key: string, value: string): string => {
      insertIgnore.run(key, value);
      return (read.get(key) as { value: string }).value;
    });
  }

  async get(key: string): Promise<string | null> {
    const row = this.statements.get('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? row.value : null;
  }

  async setIfAbsent(key: string, value: string): Promise<string> {
    return this.setIfAbsentTx.immediate(key, value);
  }

  async set(key: string, value: string): Promise<void> {
    this.statements
      .get('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }
}
