/**
 * The one contract suite every Store driver passes. Call `runStoreContract` from a driver's test
 * file; it registers Jest tests. Each test opens its own store on a fresh, empty database.
 */
import { GatewayError } from '../../errors/gateway-error';
import {
  STORE_SPEC_VERSION,
  StoreConflictError,
  UNIQUE_KEYS,
  type AuditEventInput,
  type BaseRecord,
  type Repository,
  type RequestLogRecord,
  type Store,
} from '../../spec/store';
import { computeAuditHash, verifyAuditChain } from '../audit-hash';
import { ENTITY_NAMES, type EntityName } from '../entities';
import { PATCHABLE, sample } from './samples';

export type MakeStore = () => Promise<Store>;
/** Opens the database `closed` used, again (simulates a restart). Called after closed.close(). */
export type ReopenStore = (closed: Store) => Promise<Store>;

/** Generous: the mongo driver may run against a slow local FerretDB. */
const SLOW_TEST_MS = 120_000;

function repo(store: Store, entity: EntityName): Repository<BaseRecord> {
  return store[entity] as unknown as Repository<BaseRecord>;
}

const tick = (ms = 2): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function logRecord(i: number, overrides: Partial<RequestLogRecord> = {}): RequestLogRecord {
  // Several records share a timestamp on purpose: the cursor must break ties by id.
  const at = new Date(Date.UTC(2025, 0, 1, 0, 0, Math.floor(i / 3))).toISOString();
  return {
    id: `req-${String(i).padStart(5, '0')}`,
    at,
    projectId: i % 2 === 0 ? 'p-even' : 'p-odd',
    tokenId: `tok-${i % 5}`,
    endpoint: null,
    route: '/v1/chat/completions',
    method: 'POST',
    provider: i % 3 === 0 ? 'anthropic' : 'openai',
    modelRequested: 'fast',
    modelResolved: i % 3 === 0 ? 'claude-3-5-haiku' : 'gpt-4o-mini',
    status: i % 10 === 0 ? 429 : 200,
    stream: i % 4 === 0,
    latencyMs: 100 + i,
    inputTokens: 10,
    outputTokens: 5,
    costUsd: i % 7 === 0 ? null : 0.001,
    errorCode: i % 10 === 0 ? 'GW_ERR_RATE_LIMITED' : null,
    ...overrides,
  };
}

function auditInput(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    event: n % 2 === 0 ? 'token.created' : 'project.updated',
    severity: n % 5 === 0 ? 'warning' : 'info',
    actor: { type: 'admin_key', id: 'ak-1', name: 'ops' },
    projectId: n % 2 === 0 ? 'p-even' : 'p-odd',
    target: { type: 'token', id: `t-${n}` },
    metadata: { n, flag: true, note: null, zeta: 'z', alpha: 'a' },
    ip: '127.0.0.1',
    ...overrides,
  };
}

export function runStoreContract(name: string, makeStore: MakeStore, reopen: ReopenStore): void {
  describe(`Store contract: ${name}`, () => {
    const opened: Store[] = [];
    const open = async (): Promise<Store> => {
      const store = await makeStore();
      opened.push(store);
      return store;
    };
    const reopenTracked = async (closed: Store): Promise<Store> => {
      const store = await reopen(closed);
      opened.push(store);
      return store;
    };

    afterEach(async () => {
      // close() is idempotent by contract, so tests may close stores themselves.
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    it('identifies itself and answers ping', async () => {
      const store = await open();
      expect(store.specVersion).toBe(STORE_SPEC_VERSION);
      expect(typeof store.driver).toBe('string');
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('close is idempotent', async () => {
      const store = await open();
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
    });

    describe.each(ENTITY_NAMES.map((entity) => [entity]))('%s repository', (entity) => {
      it('creates, reads, updates and deletes a record', async () => {
        const store = await open();
        const r = repo(store, entity);
        const input = sample(entity, 1);
        const created = await r.create(input);
        expect(typeof created.id).toBe('string');
        expect(created.id.length).toBeGreaterThan(0);
        expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
        expect(created.updatedAt).toBe(created.createdAt);
        expect(created).toMatchObject(input);

        expect(await r.get(created.id)).toEqual(created);
        expect(await r.get('no-such-id')).toBeNull();
        expect(await r.find()).toEqual([created]);

        await tick();
        const { field, value } = PATCHABLE[entity];
        // id and createdAt in a patch are ignored: callers cannot rewrite identity or history.
        const patch = { [field]: value, id: 'hijack', createdAt: '1999-01-01T00:00:00.000Z' };
        const updated = await r.update(created.id, patch as Partial<BaseRecord>);
        expect(updated).not.toBeNull();
        expect(updated!.id).toBe(created.id);
        expect(updated!.createdAt).toBe(created.createdAt);
        expect(updated!.updatedAt > created.updatedAt).toBe(true);
        expect((updated as unknown as Record<string, unknown>)[field]).toEqual(value);
        expect(await r.get(created.id)).toEqual(updated);
        expect(await r.get('hijack')).toBeNull();

        expect(await r.delete(created.id)).toBe(true);
        expect(await r.delete(created.id)).toBe(false);
        expect(await r.get(created.id)).toBeNull();
        expect(await r.find()).toEqual([]);
      });

      it('keeps a caller-chosen id and refuses a duplicate id', async () => {
        const store = await open();
        const r = repo(store, entity);
        const created = await r.create({ ...sample(entity, 1), id: 'fixed-id' });
        expect(created.id).toBe('fixed-id');
        await expect(r.create({ ...sample(entity, 2), id: 'fixed-id' })).rejects.toBeInstanceOf(StoreConflictError);
        expect(await r.find()).toHaveLength(1);
      });

      it('update returns null for a missing id and creates nothing', async () => {
        const store = await open();
        const r = repo(store, entity);
        const { field, value } = PATCHABLE[entity];
        expect(await r.update('missing', { [field]: value })).toBeNull();
        expect(await r.find()).toEqual([]);
      });

      it('round-trips nested objects, arrays, nulls and booleans exactly', async () => {
        const store = await open();
        const r = repo(store, entity);
        const input = sample(entity, 3);
        const created = await r.create(input);
        const read = await r.get(created.id);
        expect(read).toEqual(created);
        expect(read).toMatchObject(input);
      });

      const keys = UNIQUE_KEYS[entity] as readonly (readonly string[])[];
      if (keys.length === 0) {
        it('has no unique key: records with equal fields coexist', async () => {
          const store = await open();
          const r = repo(store, entity);
          await r.create(sample(entity, 1));
          await r.create(sample(entity, 1));
          expect(await r.find()).toHaveLength(2);
        });
      }
      for (const key of keys) {
        it(`enforces the unique key (${key.join(', ')}) on create and update`, async () => {
          const store = await open();
          const r = repo(store, entity);
          const first = await r.create(sample(entity, 1));
          // Same key members as `first`, everything else from another sample.
          const clash: Record<string, unknown> = { ...sample(entity, 2) };
          for (const field of key) clash[field] = (first as unknown as Record<string, unknown>)[field];
          const error = await r.create(clash as never).then(
            () => null,
            (err: unknown) => err,
          );
          expect(error).toBeInstanceOf(StoreConflictError);
          expect((error as StoreConflictError).entity).toBe(entity);
          expect((error as StoreConflictError).fields).toEqual([...key]);

          const second = await r.create(sample(entity, 2));
          const keyPatch: Record<string, unknown> = {};
          for (const field of key) keyPatch[field] = (first as unknown as Record<string, unknown>)[field];
          await expect(r.update(second.id, keyPatch)).rejects.toBeInstanceOf(StoreConflictError);
          expect(await r.get(second.id)).toEqual(second);
          expect(await r.find()).toHaveLength(2);
        });
      }
    });

    it('tokens: a duplicate hash is a StoreConflictError', async () => {
      const store = await open();
      await store.tokens.create(sample('tokens', 1, { hash: 'same' }));
      await expect(store.tokens.create(sample('tokens', 2, { hash: 'same' }))).rejects.toThrow(StoreConflictError);
    });

    it('oauthConnections: a null subject is still unique per project and name', async () => {
      const store = await open();
      await store.oauthConnections.create(sample('oauthConnections', 1, { subject: null }));
      await expect(store.oauthConnections.create(sample('oauthConnections', 1, { subject: null }))).rejects.toThrow(
        StoreConflictError,
      );
      const perUser = await store.oauthConnections.create(sample('oauthConnections', 1, { subject: 'user-1' }));
      expect(perUser.subject).toBe('user-1');
      await expect(store.oauthConnections.create(sample('oauthConnections', 1, { subject: 'user-1' }))).rejects.toThrow(
        StoreConflictError,
      );
      await store.oauthConnections.create(sample('oauthConnections', 1, { subject: 'user-2' }));
      expect(await store.oauthConnections.find({ projectId: 'p-1' })).toHaveLength(3);
    });

    it('policies: global policies (null projectId and targetId) are unique per version', async () => {
      const store = await open();
      const global = { level: 'global' as const, projectId: null, targetId: null };
      await store.policies.create(sample('policies', 1, { ...global, version: 1 }));
      await store.policies.create(sample('policies', 1, { ...global, version: 2 }));
      await expect(store.policies.create(sample('policies', 1, { ...global, version: 2 }))).rejects.toThrow(StoreConflictError);
    });

    it('finds by equality on strings, numbers, booleans and null', async () => {
      const store = await open();
      const a = await store.tokens.create(sample('tokens', 1, { projectId: 'p-a', active: true, subject: 'alice' }));
      const b = await store.tokens.create(sample('tokens', 2, { projectId: 'p-a', active: false, subject: null }));
      const c = await store.tokens.create(sample('tokens', 3, { projectId: 'p-b', active: true }));
      const ids = (records: BaseRecord[]): string[] => records.map((r) => r.id).sort();

      expect(ids(await store.tokens.find({ projectId: 'p-a' }))).toEqual([a.id, b.id].sort());
      expect(ids(await store.tokens.find({ active: true }))).toEqual([a.id, c.id].sort());
      expect(ids(await store.tokens.find({ projectId: 'p-a', active: false }))).toEqual([b.id]);
      expect(ids(await store.tokens.find({ subject: null }))).toEqual([b.id, c.id].sort());
      expect(ids(await store.tokens.find({ id: c.id }))).toEqual([c.id]);
      expect(await store.tokens.find({ projectId: 'p-none' })).toEqual([]);
      expect(await store.tokens.findOne({ hash: a.hash })).toEqual(a);
      expect(await store.tokens.findOne({ hash: 'nope' })).toBeNull();
      expect(ids(await store.tokens.find({ projectId: undefined }))).toHaveLength(3);

      const v1 = await store.endpointVersions.create(sample('endpointVersions', 1, { version: 1 }));
      await store.endpointVersions.create(sample('endpointVersions', 1, { version: 2 }));
      expect(await store.endpointVersions.find({ endpointId: 'e-1', version: 1 })).toEqual([v1]);
      // Types are not coerced: the string '1' is not the number 1.
      expect(await store.endpointVersions.find({ version: '1' as unknown as number })).toEqual([]);
    });

    it('refuses filters on object values and on field names that are not identifiers', async () => {
      const store = await open();
      await store.tokens.create(sample('tokens', 1));
      await expect(store.tokens.find({ metadata: {} })).rejects.toThrow(TypeError);
      await expect(store.tokens.find({ scopes: ['chat'] })).rejects.toThrow(TypeError);
      await expect(store.tokens.find({ ["name') OR 1=1 --" as 'name']: 'x' })).rejects.toThrow(TypeError);
      await expect(store.tokens.find({ ['$where' as 'name']: 'x' })).rejects.toThrow(TypeError);
      await expect(store.tokens.find({ ['a.b' as 'name']: 'x' })).rejects.toThrow(TypeError);
    });

    it('upsert inserts once, then updates the same record in place', async () => {
      const store = await open();
      const first = await store.aliases.upsert({ projectId: 'p-1', name: 'fast' }, sample('aliases', 1));
      await tick();
      const second = await store.aliases.upsert(
        { projectId: 'p-1', name: 'fast' },
        sample('aliases', 1, { target: 'groq:llama-3.1-8b' }),
      );
      expect(second.id).toBe(first.id);
      expect(second.createdAt).toBe(first.createdAt);
      expect(second.updatedAt > first.updatedAt).toBe(true);
      expect(second.target).toBe('groq:llama-3.1-8b');
      expect(await store.aliases.find()).toEqual([second]);
    });

    it(
      '50 concurrent upserts of one key leave exactly one record',
      async () => {
        const store = await open();
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            store.bindings.upsert({ projectId: 'p-1', provider: 'openai' }, sample('bindings', 1, { credentialId: `c-${i}` })),
          ),
        );
        const all = await store.bindings.find({ projectId: 'p-1', provider: 'openai' });
        expect(all).toHaveLength(1);
        expect(new Set(results.map((r) => r.id))).toEqual(new Set([all[0]!.id]));
        expect(results.map((r) => r.credentialId)).toContain(all[0]!.credentialId);
      },
      SLOW_TEST_MS,
    );

    it('upsert with an empty filter is refused', async () => {
      const store = await open();
      await expect(store.aliases.upsert({}, sample('aliases', 1))).rejects.toThrow(TypeError);
    });

    describe('request logs', () => {
      it(
        'writes a batch of 1,000 and pages through all of them exactly once, newest first',
        async () => {
          const store = await open();
          const records = Array.from({ length: 1000 }, (_, i) => logRecord(i));
          await store.requestLogs.appendMany(records);

          const seen: RequestLogRecord[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const page = await store.requestLogs.query({ limit: 77, cursor });
            expect(page.items.length).toBeLessThanOrEqual(77);
            seen.push(...page.items);
            cursor = page.nextCursor;
            pages += 1;
            expect(pages).toBeLessThan(30);
          } while (cursor !== null);

          expect(pages).toBe(Math.ceil(1000 / 77));
          expect(seen).toHaveLength(1000);
          expect(new Set(seen.map((r) => r.id)).size).toBe(1000);
          const expectedOrder = [...records].sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
          expect(seen.map((r) => r.id)).toEqual(expectedOrder.map((r) => r.id));
          expect(seen.find((r) => r.id === 'req-00042')).toEqual(records[42]);
        },
        SLOW_TEST_MS,
      );

      it('get, filters and time range (from inclusive, to exclusive)', async () => {
        const store = await open();
        const records = Array.from({ length: 60 }, (_, i) => logRecord(i));
        await store.requestLogs.appendMany(records);
        expect(await store.requestLogs.get('req-00007')).toEqual(records[7]);
        expect(await store.requestLogs.get('missing')).toBeNull();

        const all = async (q: Parameters<Store['requestLogs']['query']>[0]): Promise<string[]> =>
          (await store.requestLogs.query({ ...q, limit: 1000 })).items.map((r) => r.id).sort();
        const expectIds = (pred: (r: RequestLogRecord) => boolean): string[] => records.filter(pred).map((r) => r.id).sort();

        expect(await all({ projectId: 'p-even' })).toEqual(expectIds((r) => r.projectId === 'p-even'));
        expect(await all({ tokenId: 'tok-3' })).toEqual(expectIds((r) => r.tokenId === 'tok-3'));
        expect(await all({ provider: 'anthropic' })).toEqual(expectIds((r) => r.provider === 'anthropic'));
        expect(await all({ model: 'gpt-4o-mini' })).toEqual(expectIds((r) => r.modelResolved === 'gpt-4o-mini'));
        expect(await all({ status: 429 })).toEqual(expectIds((r) => r.status === 429));
        expect(await all({ errorCode: 'GW_ERR_RATE_LIMITED', projectId: 'p-even' })).toEqual(
          expectIds((r) => r.errorCode === 'GW_ERR_RATE_LIMITED' && r.projectId === 'p-even'),
        );
        const from = records[9]!.at;
        const to = records[30]!.at;
        expect(await all({ from, to })).toEqual(expectIds((r) => r.at >= from && r.at < to));
        expect(await all({ provider: 'nobody' })).toEqual([]);

        const firstPage = await store.requestLogs.query({});
        expect(firstPage.items).toHaveLength(50);
        expect(firstPage.nextCursor).not.toBeNull();
        const exact = await store.requestLogs.query({ limit: 60 });
        expect(exact.items).toHaveLength(60);
        expect(exact.nextCursor).toBeNull();
      });

      it('a model filter matches the requested model when none was resolved', async () => {
        const store = await open();
        await store.requestLogs.appendMany([
          logRecord(1, { id: 'resolved', modelRequested: 'fast', modelResolved: 'gpt-4o' }),
          logRecord(2, { id: 'unresolved', modelRequested: 'gpt-4o', modelResolved: null }),
          logRecord(3, { id: 'other', modelRequested: 'gpt-4o', modelResolved: 'gpt-4.1' }),
        ]);
        const page = await store.requestLogs.query({ model: 'gpt-4o' });
        expect(page.items.map((r) => r.id).sort()).toEqual(['resolved', 'unresolved']);
      });

      it('ignores a re-sent record id (idempotent batch retry) and accepts an empty batch', async () => {
        const store = await open();
        await store.requestLogs.appendMany([logRecord(1)]);
        await store.requestLogs.appendMany([logRecord(1, { status: 500 }), logRecord(2)]);
        await store.requestLogs.appendMany([]);
        const page = await store.requestLogs.query({ limit: 10 });
        expect(page.items.map((r) => r.id).sort()).toEqual(['req-00001', 'req-00002']);
        expect((await store.requestLogs.get('req-00001'))!.status).toBe(200);
      });

      it('rejects malformed cursors and limits with a catalogued error', async () => {
        const store = await open();
        for (const cursor of ['not a cursor!', Buffer.from('[1,2]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url'), 'e30']) {
          const err = await store.requestLogs.query({ cursor }).then(
            () => null,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(GatewayError);
          expect((err as GatewayError).param).toBe('cursor');
        }
        for (const limit of [0, -1, 1.5, Number.NaN]) {
          await expect(store.requestLogs.query({ limit })).rejects.toBeInstanceOf(GatewayError);
        }
        expect((await store.requestLogs.query({ limit: 5000 })).items).toEqual([]);
      });

      it('summarize sums tokens and cost per group and counts unpriced requests', async () => {
        const store = await open();
        const records = Array.from({ length: 120 }, (_, i) => logRecord(i));
        await store.requestLogs.appendMany(records);
        const from = records[0]!.at;
        const to = records[90]!.at;
        const inRange = records.filter((r) => r.at >= from && r.at < to);

        for (const groupBy of ['project', 'provider', 'model', 'token'] as const) {
          const rows = await store.requestLogs.summarize({ from, to, groupBy });
          const keyOf = (r: RequestLogRecord): string | null =>
            groupBy === 'project' ? r.projectId ?? null : groupBy === 'provider' ? r.provider ?? null : groupBy === 'model' ? r.modelResolved ?? null : r.tokenId ?? null;
          const keys = [...new Set(inRange.map(keyOf))];
          expect(rows.map((row) => row.key).sort()).toEqual(keys.sort());
          for (const row of rows) {
            const group = inRange.filter((r) => keyOf(r) === row.key);
            expect(row.requests).toBe(group.length);
            expect(row.inputTokens).toBe(group.length * 10);
            expect(row.outputTokens).toBe(group.length * 5);
            const priced = group.filter((r) => r.costUsd !== null);
            expect(row.unpricedRequests).toBe(group.length - priced.length);
            expect(row.costUsd).toBeCloseTo(priced.length * 0.001, 9);
          }
        }

        const projectRows = await store.requestLogs.summarize({ from, to, groupBy: 'provider', projectId: 'p-odd' });
        expect(projectRows.reduce((sum, row) => sum + row.requests, 0)).toBe(inRange.filter((r) => r.projectId === 'p-odd').length);
        expect(await store.requestLogs.summarize({ from: '2030-01-01T00:00:00.000Z', to: '2031-01-01T00:00:00.000Z', groupBy: 'model' })).toEqual([]);
      });

      it('summarize groups records without a key under null and rejects an unknown groupBy', async () => {
        const store = await open();
        await store.requestLogs.appendMany([logRecord(1, { tokenId: null, costUsd: null }), logRecord(2, { tokenId: 'tok-x', costUsd: 0.5 })]);
        const rows = await store.requestLogs.summarize({ from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z', groupBy: 'token' });
        expect(rows).toEqual(
          expect.arrayContaining([
            { key: null, requests: 1, inputTokens: 10, outputTokens: 5, costUsd: 0, unpricedRequests: 1 },
            { key: 'tok-x', requests: 1, inputTokens: 10, outputTokens: 5, costUsd: 0.5, unpricedRequests: 0 },
          ]),
        );
        expect(rows).toHaveLength(2);
        await expect(
          store.requestLogs.summarize({ from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z', groupBy: 'color' as 'model' }),
        ).rejects.toBeInstanceOf(GatewayError);
      });
    });

    describe('audit', () => {
      it(
        'appends (sequentially and 20 concurrently) into one valid hash chain',
        async () => {
          const store = await open();
          const sequential = [];
          for (let i = 1; i <= 5; i += 1) sequential.push(await store.audit.append(auditInput(i)));
          expect(sequential.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
          expect(sequential[0]!.prevHash).toBe('0'.repeat(64));

          const concurrent = await Promise.all(Array.from({ length: 20 }, (_, i) => store.audit.append(auditInput(100 + i))));
          expect(new Set(concurrent.map((e) => e.seq)).size).toBe(20);

          const chain = await store.audit.range(0, 1000);
          expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
          expect(verifyAuditChain(chain)).toBeNull();
          for (let i = 1; i < chain.length; i += 1) expect(chain[i]!.prevHash).toBe(chain[i - 1]!.hash);
          for (const event of chain) expect(computeAuditHash(event)).toBe(event.hash);
          expect(new Set(chain.map((e) => e.id)).size).toBe(25);
          expect(chain[0]).toEqual(sequential[0]);
          expect(chain[0]).toMatchObject(auditInput(1));

          expect((await store.audit.range(20, 3)).map((e) => e.seq)).toEqual([21, 22, 23]);
          expect(await store.audit.range(25, 10)).toEqual([]);
          const tail = await store.audit.range(10, 1000);
          expect(verifyAuditChain(tail, chain[9]!)).toBeNull();
        },
        SLOW_TEST_MS,
      );

      it('a tampered event breaks verification', async () => {
        const store = await open();
        for (let i = 1; i <= 3; i += 1) await store.audit.append(auditInput(i));
        const chain = await store.audit.range(0, 10);
        const tampered = chain.map((e) => ({ ...e }));
        tampered[1] = { ...tampered[1]!, severity: 'critical' };
        expect(verifyAuditChain(tampered)).toMatchObject({ seq: 2, problem: 'hash_mismatch' });
      });

      it('rejects bad range arguments', async () => {
        const store = await open();
        await expect(store.audit.range(-1, 10)).rejects.toThrow(TypeError);
        await expect(store.audit.range(0, 0)).rejects.toThrow(TypeError);
        await expect(store.audit.range(0.5, 10)).rejects.toThrow(TypeError);
      });

      it('queries newest first with filters, prefix match and cursors', async () => {
        const store = await open();
        for (let i = 1; i <= 12; i += 1) await store.audit.append(auditInput(i));
        await store.audit.append(auditInput(13, { event: 'tokenXcreated' }));

        const byPrefix = await store.audit.query({ eventPrefix: 'token.', limit: 100 });
        expect(byPrefix.items.map((e) => e.seq)).toEqual([12, 10, 8, 6, 4, 2]);
        expect(byPrefix.nextCursor).toBeNull();
        expect((await store.audit.query({ event: 'project.updated', projectId: 'p-odd', limit: 100 })).items).toHaveLength(6);
        expect((await store.audit.query({ severity: 'warning', limit: 100 })).items.map((e) => e.seq)).toEqual([10, 5]);
        expect((await store.audit.query({ projectId: 'p-none' })).items).toEqual([]);

        const seqs: number[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.audit.query({ limit: 4, cursor });
          seqs.push(...page.items.map((e) => e.seq));
          cursor = page.nextCursor;
        } while (cursor !== null);
        expect(seqs).toEqual(Array.from({ length: 13 }, (_, i) => 13 - i));

        const all = (await store.audit.range(0, 100)).map((e) => e.at);
        const inWindow = await store.audit.query({ from: all[0], to: '2999-01-01T00:00:00.000Z', limit: 100 });
        expect(inWindow.items).toHaveLength(13);
        expect((await store.audit.query({ to: all[0], limit: 100 })).items).toEqual([]);

        await expect(store.audit.query({ cursor: 'garbage!' })).rejects.toBeInstanceOf(GatewayError);
        await expect(store.audit.query({ cursor: Buffer.from('{"s":-3}').toString('base64url') })).rejects.toBeInstanceOf(GatewayError);
      });
    });

    describe('settings', () => {
      it('get, set and setIfAbsent', async () => {
        const store = await open();
        expect(await store.settings.get('pepper')).toBeNull();
        expect(await store.settings.setIfAbsent('pepper', 'first')).toBe('first');
        expect(await store.settings.setIfAbsent('pepper', 'second')).toBe('first');
        expect(await store.settings.get('pepper')).toBe('first');
        await store.settings.set('pepper', 'rotated');
        expect(await store.settings.get('pepper')).toBe('rotated');
        await store.settings.set('schema', '1');
        expect(await store.settings.get('schema')).toBe('1');
      });

      it(
        'setIfAbsent: the first writer wins under concurrency',
        async () => {
          const store = await open();
          const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.settings.setIfAbsent('race', `v${i}`)));
          const stored = await store.settings.get('race');
          expect(stored).not.toBeNull();
          expect(new Set(results)).toEqual(new Set([stored]));
        },
        SLOW_TEST_MS,
      );
    });

    it(
      'returns committed data after close and reopen (restart)',
      async () => {
        const store = await open();
        const project = await store.projects.create(sample('projects', 1));
        const token = await store.tokens.create(sample('tokens', 1));
        await store.tokens.update(token.id, { active: false });
        await store.requestLogs.appendMany([logRecord(1), logRecord(2)]);
        await store.audit.append(auditInput(1));
        await store.audit.append(auditInput(2));
        await store.settings.setIfAbsent('pepper', 'p1');
        await store.close();

        const again = await reopenTracked(store);
        expect(await again.projects.get(project.id)).toEqual(project);
        expect((await again.tokens.findOne({ hash: token.hash }))!.active).toBe(false);
        expect((await again.requestLogs.query({})).items).toHaveLength(2);
        expect(await again.settings.get('pepper')).toBe('p1');
        // The chain continues from the persisted head.
        const third = await again.audit.append(auditInput(3));
        expect(third.seq).toBe(3);
        expect(verifyAuditChain(await again.audit.range(0, 10))).toBeNull();
        // Unique indexes survive the restart too.
        await expect(again.tokens.create(sample('tokens', 1))).rejects.toThrow(StoreConflictError);
      },
      SLOW_TEST_MS,
    );
  });
}
