import { randomBytes } from 'node:crypto';
import type { Store } from '../../spec/store';
import { startFerretDb, type FerretDbServer } from '../../testkit/ferretdb';
import { runStoreContract } from '../contract/store-contract';
import { openMongoStore } from './mongo-store';

/**
 * Runs the contract against MONGODB_URI when set, else against a local FerretDB 1.x. If neither
 * is available the suite fails (it never skips): the mongo driver must be tested somewhere.
 */
let server: FerretDbServer | null = null;
let baseUri: string | null = null;
let startError: unknown = null;
const dbNameOf = new WeakMap<Store, string>();
// One prefix per test run, one database per store: runs never see each other's data.
const runPrefix = `pc_test_${randomBytes(4).toString('hex')}`;
let counter = 0;

beforeAll(async () => {
  if (process.env.MONGODB_URI) {
    baseUri = process.env.MONGODB_URI;
    return;
  }
  try {
    server = await startFerretDb();
    baseUri = server.uri;
  } catch (err) {
    startError = err;
  }
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

function requireUri(): string {
  if (baseUri) return baseUri;
  throw new Error(
    'mongo store tests need a MongoDB-compatible server: set MONGODB_URI, or run `bash scripts/ensure-ferretdb.sh` ' +
      `so the tests can start FerretDB. (${startError instanceof Error ? startError.message : String(startError)})`,
  );
}

async function open(dbName: string): Promise<Store> {
  const store = await openMongoStore({ uri: requireUri(), dbName, serverSelectionTimeoutMs: 5000 });
  dbNameOf.set(store, dbName);
  return store;
}

runStoreContract(
  process.env.MONGODB_URI ? 'mongo (MONGODB_URI)' : 'mongo (FerretDB 1.x on SQLite)',
  async () => {
    counter += 1;
    return open(`${runPrefix}_${counter}`);
  },
  async (closed) => {
    const dbName = dbNameOf.get(closed);
    if (!dbName) throw new Error('reopen: unknown store');
    return open(dbName);
  },
);

describe('mongo store: cross-instance behaviour', () => {
  it('two stores on one database (two gateways) append one audit chain and upsert one record', async () => {
    const dbName = `${runPrefix}_shared`;
    const a = await open(dbName);
    const b = await open(dbName);
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? a : b).audit.append({ event: 'cross.test', severity: 'info', actor: { type: 'system' }, metadata: { i } }),
        ),
      );
      const chain = await a.audit.range(0, 100);
      expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      for (let i = 1; i < chain.length; i += 1) expect(chain[i]!.prevHash).toBe(chain[i - 1]!.hash);

      const alias = { projectId: 'p-1', name: 'fast', target: 'openai:gpt-4o-mini', fallbacks: [], presets: {} };
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).aliases.upsert({ projectId: 'p-1', name: 'fast' }, alias)));
      expect(await b.aliases.find({ projectId: 'p-1' })).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  }, 120_000);

  it('the audit chain heals when a writer died between inserting an event and moving the head', async () => {
    const dbName = `${runPrefix}_heal`;
    const store = await open(dbName);
    try {
      await store.audit.append({ event: 'a.one', severity: 'info', actor: { type: 'system' } });
      const second = await store.audit.append({ event: 'a.two', severity: 'info', actor: { type: 'system' } });
      // Simulate the crash: move the head back one step, as if the CAS never ran.
      const { MongoClient } = await import('mongoose').then((m) => m.mongo);
      const client = await MongoClient.connect(requireUri());
      try {
        await client
          .db(dbName)
          .collection<{ _id: string; seq: number; hash: string }>('audit_head')
          .updateOne({ _id: 'audit-head' }, { $set: { seq: 1, hash: (await store.audit.range(0, 1))[0]!.hash } });
      } finally {
        await client.close();
      }
      const third = await store.audit.append({ event: 'a.three', severity: 'info', actor: { type: 'system' } });
      expect(third.seq).toBe(3);
      expect(third.prevHash).toBe(second.hash);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('fails fast with a clear error when the server is unreachable', async () => {
    await expect(openMongoStore({ uri: 'mongodb://127.0.0.1:1/', dbName: 'nowhere', serverSelectionTimeoutMs: 500 })).rejects.toThrow();
  });
});
