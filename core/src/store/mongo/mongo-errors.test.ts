import { StoreConflictError } from '../../spec/store';
import { isDuplicateKeyError, keyNamedByError, onlyDuplicateKeyWriteErrors, toConflictError } from './mongo-errors';

const KEYS = [['projectId', 'name'], ['hash']] as const;

describe('mongo duplicate-key errors', () => {
  it('recognises MongoDB E11000 and FerretDB 1.x update-path unique failures', () => {
    expect(isDuplicateKeyError({ code: 11000, errmsg: 'E11000 duplicate key error collection: db.t index: ux_1 dup key' })).toBe(true);
    expect(isDuplicateKeyError({ code: 1, errmsg: "constraint failed: UNIQUE constraint failed: index 't_ab_ux_0' (2067)" })).toBe(true);
    expect(isDuplicateKeyError({ code: 1, errmsg: 'some other internal error' })).toBe(false);
    expect(isDuplicateKeyError(new Error('E11000'))).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
  });

  it('maps index names back to the key in UNIQUE_KEYS', () => {
    expect(keyNamedByError({ code: 11000, errmsg: 'E11000 duplicate key error collection: db.t index: ux_1 dup key: { hash: "x" }' }, KEYS)).toEqual(['hash']);
    expect(keyNamedByError({ code: 1, errmsg: "UNIQUE constraint failed: index 't_f10c3da3_ux_0' (2067)" }, KEYS)).toEqual(['projectId', 'name']);
    expect(keyNamedByError({ code: 11000, errmsg: 'E11000 duplicate key error collection: db.t index: _id_ dup key' }, KEYS)).toEqual(['id']);
    expect(keyNamedByError({ code: 11000, errmsg: 'E11000 duplicate key error collection: db.t' }, KEYS)).toBeNull();
    expect(keyNamedByError({ code: 11000, errmsg: 'index: ux_9 dup key' }, KEYS)).toBeNull();
  });

  it('asks the probe only when the message names no index', async () => {
    const probe = jest.fn(async () => ['hash']);
    const named = await toConflictError({ code: 11000, errmsg: 'index: ux_0 dup key' }, 'aliases', KEYS, probe);
    expect(named).toEqual(new StoreConflictError('aliases', ['projectId', 'name']));
    expect(probe).not.toHaveBeenCalled();
    const probed = await toConflictError({ code: 11000, errmsg: 'E11000 duplicate key error collection: db.t' }, 'tokens', KEYS, probe);
    expect(probed?.fields).toEqual(['hash']);
    const failedProbe = await toConflictError({ code: 11000 }, 'tokens', KEYS, async () => {
      throw new Error('down');
    });
    expect(failedProbe?.fields).toEqual(['id']);
    expect(await toConflictError(new Error('network'), 'tokens', KEYS, probe)).toBeNull();
  });

  it('treats a bulk insert failure as ignorable only when every write error is a duplicate', () => {
    expect(onlyDuplicateKeyWriteErrors({ writeErrors: [{ code: 11000 }, { code: 11000 }] })).toBe(true);
    expect(onlyDuplicateKeyWriteErrors({ writeErrors: [{ code: 11000 }, { code: 2 }] })).toBe(false);
    expect(onlyDuplicateKeyWriteErrors({ writeErrors: { code: 11000 } })).toBe(true);
    expect(onlyDuplicateKeyWriteErrors({ code: 11000 })).toBe(true);
    expect(onlyDuplicateKeyWriteErrors({ code: 6 })).toBe(false);
    expect(onlyDuplicateKeyWriteErrors(undefined)).toBe(false);
  });
});
