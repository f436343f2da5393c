import { StoreConflictError } from '../../spec/store';

interface SqliteErrorLike {
  code?: unknown;
  message?: unknown;
}

/**
 * Turns SQLite unique violations into StoreConflictError. Index names are `ux_<table>_<n>`, where
 * n is the position of the key in UNIQUE_KEYS, so the message tells us which key collided.
 */
export function toConflictError(
  err: unknown,
  entity: string,
  uniqueKeys: readonly (readonly string[])[],
): StoreConflictError | null {
  const e = err as SqliteErrorLike;
  if (e === null || typeof e !== 'object') return null;
  if (e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new StoreConflictError(entity, ['id']);
  if (e.code !== 'SQLITE_CONSTRAINT_UNIQUE') return null;
  const message = typeof e.message === 'string' ? e.message : '';
  const match = /index '[a-z0-9_]*?_(\d+)'/i.exec(message);
  const key = match ? uniqueKeys[Number(match[1])] : undefined;
  if (key) return new StoreConflictError(entity, [...key]);
  return new StoreConflictError(entity, message.includes('.id') ? ['id'] : uniqueKeys[0] ? [...uniqueKeys[0]] : ['id']);
}
