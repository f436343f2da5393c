import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../spec/store';
import { runStoreContract } from '../contract/store-contract';
import { openEmbeddedStore } from './embedded-store';

const root = mkdtempSync(join(tmpdir(), 'portcullis-embedded-'));
const pathOf = new WeakMap<Store, string>();
let counter = 0;

afterAll(() => rmSync(root, { recursive: true, force: true }));

runStoreContract(
  'embedded (SQLite file)',
  async () => {
    counter += 1;
    // A nested directory that does not exist yet: the store must create it.
    const path = join(root, `run-${counter}`, 'portcullis.db');
    const store = openEmbeddedStore({ path });
    pathOf.set(store, path);
    return store;
  },
  async (closed) => {
    const path = pathOf.get(closed);
    if (!path) throw new Error('reopen: unknown store');
    const store = openEmbeddedStore({ path });
    pathOf.set(store, path);
    return store;
  },
);
