import { StoreConflictError } from '../../spec/store';

interface MongoErrorLike {
  code?: unknown;
  message?: unknown;
  errmsg?: unknown;
  writeErrors?: unknown;
}

function messageOf(err: MongoErrorLike): string {
  return `${typeof err.errmsg === 'string' ? err.errmsg : ''} ${typeof err.message === 'string' ? err.message : ''}`;
}

/**
 * E11000 from MongoDB and FerretDB. FerretDB 1.x reports a unique violation caused by an
 * *update* as InternalError (code 1) carrying SQLite's "UNIQUE constraint failed", so that
 * counts too.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const e = err as MongoErrorLike;
  return e.code === 11000 || (e.code === 1 && /UNIQUE constraint failed/.test(messageOf(e)));
}

/** Which unique key a duplicate-key error names: a key of UNIQUE_KEYS, `['id']`, or unknown. */
export function keyNamedByError(err: unknown, uniqueKeys: readonly (readonly string[])[]): string[] | null {
  const message = messageOf(err as MongoErrorLike);
  // Unique indexes are named ux_<n> after their position in UNIQUE_KEYS. MongoDB says
  // "index: ux_1 dup key"; FerretDB's SQLite index names end in "_ux_1".
  const match = /ux_(\d+)\b/.exec(message);
  const key = match ? uniqueKeys[Number(match[1])] : undefined;
  if (key) return [...key];
  if (/index: _id_ /.test(message)) return ['id'];
  return null;
}

/**
 * Builds the StoreConflictError for a duplicate-key error, or null for any other error. When the
 * server's message does not name the index (FerretDB's insert errors do not), `probe` finds the
 * colliding key by looking the values up.
 */
export async function toConflictError(
  err: unknown,
  entity: string,
  uniqueKeys: readonly (readonly string[])[],
  probe: () => Promise<string[] | null>,
): Promise<StoreConflictError | null> {
  if (!isDuplicateKeyError(err)) return null;
  const named = keyNamedByError(err, uniqueKeys);
  if (named) return new StoreConflictError(entity, named);
  const probed = await probe().catch(() => null);
  return new StoreConflictError(entity, probed ?? ['id']);
}

/** For unordered bulk inserts: true when every failed write was a duplicate key. */
export function onlyDuplicateKeyWriteErrors(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const writeErrors = (err as MongoErrorLike).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length === 0) return isDuplicateKeyError(err);
  return list.every((w: unknown) => isDuplicateKeyError(w));
}
