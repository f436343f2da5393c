import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type StoreConfig } from './create-store';

describe('createStore', () => {
  const root = mkdtempSync(join(tmpdir(), 'portcullis-create-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('opens the embedded driver and creates the database directory', async () => {
    const path = join(root, 'nested', 'data', 'portcullis.db');
    const store = await createStore({ driver: 'embedded', path });
    try {
      expect(store.driver).toBe('embedded');
      expect(existsSync(path)).toBe(true);
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it('opens an in-memory embedded store', async () => {
    const store = await createStore({ driver: 'embedded', path: ':memory:' });
    await store.settings.set('k', 'v');
    expect(await store.settings.get('k')).toBe('v');
    await store.close();
  });

  it('rejects an unknown driver', async () => {
    await expect(createStore({ driver: 'redis', path: 'x' } as unknown as StoreConfig)).rejects.toThrow(/unknown driver/);
  });

  it('rejects an unreachable mongo server', async () => {
    await expect(createStore({ driver: 'mongo', uri: 'mongodb://127.0.0.1:1/nothing?serverSelectionTimeoutMS=300' })).rejects.toThrow();
  });
});
