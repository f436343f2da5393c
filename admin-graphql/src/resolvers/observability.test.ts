import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RequestLogRecord } from '@portcullis/core';
import { firstError, startHarness, type Harness } from '../__fixtures__/harness';

const log = (n: number, extra: Partial<RequestLogRecord> = {}): RequestLogRecord => ({
  id: `req-${String(n).padStart(3, '0')}`,
  at: new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString(),
  projectId: 'p1',
  tokenId: n % 2 ? 't1' : 't2',
  route: 'chat',
  method: 'POST',
  provider: n % 3 ? 'openai' : 'anthropic',
  modelRequested: 'fast',
  modelResolved: 'gpt-4o-mini',
  status: 200,
  stream: false,
  latencyMs: 10 + n,
  inputTokens: 10,
  outputTokens: 5,
  costUsd: 0.001,
  requestBody: '{"messages":[{"role":"user","content":"secret prompt"}]}',
  ...extra,
});

interface Conn<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

describe('request logs, usage and audit queries (through HTTP)', () => {
  let h: Harness;
  let dir: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-admin-'));
    h = await startHarness({ storePath: join(dir, 'store.db') });
    await h.store.requestLogs.appendMany(Array.from({ length: 7 }, (_, i) => log(i + 1)));
  });
  afterEach(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const LOGS = 'query($first: Int, $after: String, $filter: RequestLogFilter) { requestLogs(first: $first, after: $after, filter: $filter) { edges { cursor node { id provider status costUsd requestBody } } pageInfo { hasNextPage endCursor } } }';

  it('pages through request logs newest first with Relay cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const res = await h.gql(LOGS, { first: 3, after });
      const conn = res.data?.requestLogs as Conn<{ id: string }>;
      seen.push(...conn.edges.map((e) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(['req-007', 'req-006', 'req-005', 'req-004', 'req-003', 'req-002', 'req-001']);
  });

  it('resumes after any edge cursor, not only the last', async () => {
    const first = (await h.gql(LOGS, { first: 3 })).data?.requestLogs as Conn<{ id: string }>;
    const fromMiddle = (await h.gql(LOGS, { first: 2, after: first.edges[0]!.cursor })).data?.requestLogs as Conn<{ id: string }>;
    expect(fromMiddle.edges.map((e) => e.node.id)).toEqual(['req-006', 'req-005']);
    expect(fromMiddle.pageInfo.hasNextPage).toBe(true);
  });

  it('filters request logs and hides bodies from viewers', async () => {
    const res = await h.gql(LOGS, { first: 10, filter: { provider: 'anthropic' } });
    const conn = res.data?.requestLogs as Conn<{ id: string; provider: string; requestBody: string | null }>;
    expect(conn.edges.map((e) => e.node.id)).toEqual(['req-006', 'req-003']);
    expect(conn.edges[0]!.node.requestBody).toContain('secret prompt');
    const viewer = await h.gql(LOGS, { first: 10, filter: { provider: 'anthropic' } }, h.viewerKey);
    expect(viewer.text).not.toContain('secret prompt');
  });

  it('refuses bad paging and filter input', async () => {
    expect(firstError(await h.gql(LOGS, { first: 0 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(firstError(await h.gql(LOGS, { first: 101 }))).toMatchObject({ field: 'first' });
    expect(firstError(await h.gql(LOGS, { first: 1, after: 'garbage!' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(firstError(await h.gql(LOGS, { filter: { from: 'yesterday' } }))).toMatchObject({ field: 'filter.from' });
    expect(firstError(await h.gql(LOGS, { filter: { from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' } }))).toMatchObject({ field: 'to' });
  });

  it('summarises usage by provider for a time range', async () => {
    const res = await h.gql('{ usageSummary(from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z", groupBy: PROVIDER) { key requests inputTokens outputTokens costUsd unpricedRequests } }');
    const rows = res.data?.usageSummary as { key: string; requests: number; inputTokens: number }[];
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'openai', requests: 5, inputTokens: 50 }),
        expect.objectContaining({ key: 'anthropic', requests: 2, inputTokens: 20 }),
      ]),
    );
    expect(firstError(await h.gql('{ usageSummary(from: "x", to: "2025-01-02T00:00:00Z", groupBy: MODEL) { key } }'))).toMatchObject({ field: 'from' });
  });

  it('pages and filters audit events, exports them, and verifies the chain', async () => {
    for (const name of ['a', 'b', 'c']) await h.gql('mutation($n: String!) { createProject(input: { name: $n, type: AI_WRAPPER }) { id } }', { n: name });
    await h.gql('{ me { id } }', undefined, null); // one auth.login_failed
    const events = await h.auditEvents();

    const page = await h.gql('{ auditEvents(first: 2, filter: { eventPrefix: "project." }) { edges { node { seq event actor { type name } target { type name } } } pageInfo { hasNextPage endCursor } } }');
    const conn = page.data?.auditEvents as Conn<{ seq: number; event: string; target: { name: string } }>;
    expect(conn.edges.map((e) => e.node.target.name)).toEqual(['c', 'b']);
    expect(conn.pageInfo.hasNextPage).toBe(true);
    const warnings = await h.gql('{ auditEvents(filter: { severity: WARNING, eventPrefix: "auth." }) { edges { node { event severity } } } }');
    expect((warnings.data?.auditEvents as Conn<unknown>).edges).toEqual([{ node: { event: 'auth.login_failed', severity: 'WARNING' } }]);

    const ndjson = (await h.gql('{ auditExport(format: NDJSON) }')).data?.auditExport as string;
    expect(ndjson.trim().split('\n').map((line) => JSON.parse(line).seq)).toEqual(events.map((e) => e.seq));
    const csv = (await h.gql('{ auditExport(format: CSV, from: "2000-01-01T00:00:00Z") }')).data?.auditExport as string;
    expect(csv.split('\r\n')[0]).toMatch(/^seq,at,event,severity/);
    expect(csv.trim().split('\r\n')).toHaveLength(events.length + 1);
    expect(firstError(await h.gql('{ auditExport(format: CSV, from: "nope") }'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });

    expect((await h.gql('{ auditVerify { ok checked brokenAtSeq reason } }')).data?.auditVerify).toEqual({ ok: true, checked: events.length, brokenAtSeq: null, reason: null });

    // Tamper with one event's metadata directly in the SQLite file.
    const target = events[2]!;
    const db = new Database(join(dir, 'store.db'));
    const row = db.prepare('SELECT doc FROM audit_events WHERE seq = ?').get(target.seq) as { doc: string };
    const doc = JSON.parse(row.doc);
    doc.metadata = { ...doc.metadata, type: 'api_proxy' };
    db.prepare('UPDATE audit_events SET doc = ? WHERE seq = ?').run(JSON.stringify(doc), target.seq);
    db.close();
    expect((await h.gql('{ auditVerify { ok brokenAtSeq reason } }')).data?.auditVerify).toEqual({ ok: false, brokenAtSeq: target.seq, reason: 'hash_mismatch' });
  });

  it('refuses an audit export larger than maxExportEvents', async () => {
    const small = await startHarness({ config: { maxExportEvents: 1 } });
    try {
      await small.gql('mutation { createProject(input: { name: "a", type: AI_WRAPPER }) { id } }');
      await small.gql('mutation { createProject(input: { name: "b", type: AI_WRAPPER }) { id } }');
      await small.auditEvents();
      expect(firstError(await small.gql('{ auditExport(format: NDJSON) }'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    } finally {
      await small.close();
    }
  });
});

describe('audit events never carry secrets', () => {
  it('holds no credential secret or token plaintext after a full setup', async () => {
    const h = await startHarness();
    try {
      const SECRET = 'sk-live-SUPERSECRET-0123456789';
      const p = ((await h.gql('mutation { createProject(input: { name: "p", type: AI_WRAPPER }) { id } }')).data?.createProject as { id: string }).id;
      const c = ((await h.gql('mutation($s: String!) { createCredential(input: { name: "c", provider: "openai", secret: $s }) { id } }', { s: SECRET })).data?.createCredential as { id: string }).id;
      await h.gql('mutation($p: ID!, $c: ID!) { upsertProviderBinding(input: { projectId: $p, provider: "openai", credentialId: $c }) { id } }', { p, c });
      const issued = (await h.gql('mutation($p: ID!) { createToken(input: { projectId: $p, name: "t" }) { plaintext token { id } } }', { p })).data?.createToken as { plaintext: string; token: { id: string } };
      const rotated = (await h.gql('mutation($id: ID!) { rotateToken(id: $id) { plaintext } }', { id: issued.token.id })).data?.rotateToken as { plaintext: string };
      const ROTATED_SECRET = 'sk-live-ROTATED-9876543210';
      await h.gql('mutation($id: ID!, $s: String!) { rotateCredential(id: $id, secret: $s) { id } }', { id: c, s: ROTATED_SECRET });
      const admin = (await h.gql('mutation { createAdminKey(input: { name: "k", role: VIEWER }) { plaintext } }')).data?.createAdminKey as { plaintext: string };
      const dump = JSON.stringify(await h.auditEvents());
      for (const secret of [SECRET, ROTATED_SECRET, issued.plaintext, rotated.plaintext, admin.plaintext, h.adminKey, h.viewerKey]) expect(dump).not.toContain(secret);
      const exported = (await h.gql('{ auditExport(format: CSV) }')).text;
      for (const secret of [SECRET, issued.plaintext, rotated.plaintext]) expect(exported).not.toContain(secret);
    } finally {
      await h.close();
    }
  });
});
