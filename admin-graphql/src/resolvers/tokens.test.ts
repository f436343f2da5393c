import { firstError, startHarness, type Harness } from '../__fixtures__/harness';

const TOKEN_FIELDS = 'id projectId name environment prefix scopes expiresAt endpointAllowlist subject active revokedAt lastUsedAt previousExpiresAt metadata policies { kind level version config }';

describe('API tokens (through HTTP)', () => {
  let h: Harness;
  let projectId: string;
  beforeEach(async () => {
    h = await startHarness();
    const res = await h.gql('mutation { createProject(input: { name: "p", type: AI_WRAPPER }) { id } }');
    projectId = (res.data?.createProject as { id: string }).id;
  });
  afterEach(() => h.close());

  const create = async (extra: Record<string, unknown> = {}) => {
    const res = await h.gql(`mutation($input: CreateTokenInput!) { createToken(input: $input) { plaintext token { ${TOKEN_FIELDS} } } }`, {
      input: { projectId, name: 'ci', ...extra },
    });
    expect(res.errors).toBeUndefined();
    return res.data?.createToken as { plaintext: string; token: Record<string, unknown> & { id: string; prefix: string } };
  };

  it('returns the plaintext once, stores only its hash, and loads it into the snapshot', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const { plaintext, token } = await create({ scopes: ['chat', 'embeddings', 'chat'], expiresAt, endpointAllowlist: ['summarise'], subject: 'user-7', metadata: { team: 'x' } });
    expect(plaintext).toMatch(/^pc_live_[0-9A-Za-z]{40,}$/);
    expect(token).toMatchObject({ projectId, environment: 'LIVE', scopes: ['chat', 'embeddings'], expiresAt, endpointAllowlist: ['summarise'], subject: 'user-7', active: true, metadata: { team: 'x' } });
    expect(token.prefix).toBe(`${plaintext.slice(0, 12)}…`);
    const stored = await h.store.tokens.get(token.id);
    expect(stored?.hash).toBe(h.host.tokens.hash(plaintext));
    expect(JSON.stringify(stored)).not.toContain(plaintext);
    expect(h.host.config.current().tokensByHash.get(h.host.tokens.hash(plaintext))?.id).toBe(token.id);

    const listed = await h.gql('query($p: ID!) { tokens(projectId: $p) { id prefix } }', { p: projectId });
    expect(listed.text).not.toContain(plaintext);
    expect(listed.text).not.toContain(stored!.hash);
    expect(firstError(await h.gql('query($p: ID!) { tokens(projectId: $p) { plaintext } }', { p: projectId }))?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('carries per-token limits and budget as TOKEN-level policies', async () => {
    const { token } = await create({ rateLimit: { rpm: 60 }, budget: { usd: 5, period: 'month' } });
    expect(token.policies).toEqual(
      expect.arrayContaining([
        { kind: 'RATE_LIMIT', level: 'TOKEN', version: 1, config: { rpm: 60 } },
        { kind: 'BUDGET', level: 'TOKEN', version: 1, config: { usd: 5, period: 'month' } },
      ]),
    );
    const fresh = await h.gql(`query($id: ID!) { token(id: $id) { policies { kind } } }`, { id: token.id });
    expect((fresh.data?.token as { policies: unknown[] }).policies).toHaveLength(2);
  });

  it('rotates: new plaintext, old hash valid for the grace period', async () => {
    const first = await create();
    const res = await h.gql(`mutation($id: ID!) { rotateToken(id: $id, graceSeconds: 600) { plaintext token { prefix previousExpiresAt } } }`, { id: first.token.id });
    const rotated = res.data?.rotateToken as { plaintext: string; token: { prefix: string; previousExpiresAt: string } };
    expect(rotated.plaintext).not.toBe(first.plaintext);
    const stored = (await h.store.tokens.get(first.token.id))!;
    expect(stored.hash).toBe(h.host.tokens.hash(rotated.plaintext));
    expect(stored.previousHash).toBe(h.host.tokens.hash(first.plaintext));
    const grace = Date.parse(rotated.token.previousExpiresAt) - Date.now();
    expect(grace).toBeGreaterThan(590_000);
    expect(grace).toBeLessThanOrEqual(600_000);
    const snapshot = h.host.config.current().tokensByHash;
    expect(snapshot.get(h.host.tokens.hash(rotated.plaintext))?.id).toBe(first.token.id);
    expect(snapshot.get(h.host.tokens.hash(first.plaintext))?.id).toBe(first.token.id);

    const now = await h.gql(`mutation($id: ID!) { rotateToken(id: $id, graceSeconds: 0) { plaintext token { previousExpiresAt } } }`, { id: first.token.id });
    expect((now.data?.rotateToken as { token: unknown }).token).toEqual({ previousExpiresAt: null });
    expect((await h.store.tokens.get(first.token.id))!.previousHash).toBeNull();

    const events = await h.auditEvents();
    const dump = JSON.stringify(events);
    expect(dump).not.toContain(first.plaintext);
    expect(dump).not.toContain(rotated.plaintext);
    expect(dump).not.toContain(stored.hash);
    expect(events.filter((e) => e.event === 'token.rotated')).toHaveLength(2);
  });

  it('deactivates, activates and revokes (permanently)', async () => {
    const { token } = await create();
    const call = (mutation: string) => h.gql(`mutation($id: ID!) { ${mutation}(id: $id) { active revokedAt } }`, { id: token.id });
    expect((await call('deactivateToken')).data?.deactivateToken).toEqual({ active: false, revokedAt: null });
    expect((await call('activateToken')).data?.activateToken).toEqual({ active: true, revokedAt: null });
    const revoked = (await call('revokeToken')).data?.revokeToken as { active: boolean; revokedAt: string };
    expect(revoked.active).toBe(false);
    expect(Date.parse(revoked.revokedAt)).not.toBeNaN();
    expect(firstError(await call('activateToken'))?.code).toBe('CONFLICT');
    expect(firstError(await h.gql('mutation($id: ID!) { rotateToken(id: $id) { plaintext } }', { id: token.id }))?.code).toBe('CONFLICT');
    const events = (await h.auditEvents()).map((e) => e.event).filter((e) => e.startsWith('token.'));
    expect(events).toEqual(['token.created', 'token.deactivated', 'token.activated', 'token.revoked']);
  });

  it('updates a token and clears expiry with an explicit null', async () => {
    const { token } = await create({ expiresAt: new Date(Date.now() + 60_000).toISOString() });
    const res = await h.gql('mutation($id: ID!) { updateToken(id: $id, input: { name: "renamed", scopes: ["proxy"], expiresAt: null }) { name scopes expiresAt } }', { id: token.id });
    expect(res.data?.updateToken).toEqual({ name: 'renamed', scopes: ['proxy'], expiresAt: null });
  });

  it.each([
    ['an empty scope list', { scopes: [] }, 'scopes'],
    ['a bad scope', { scopes: ['Chat!'] }, 'scopes.0'],
    ['an expiry in the past', { expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
    ['an expiry that is not a time', { expiresAt: 'tomorrow' }, 'expiresAt'],
    ['a bad allowlist slug', { endpointAllowlist: ['Not A Slug'] }, 'endpointAllowlist.0'],
  ])('refuses a token with %s', async (_label, extra, field) => {
    const res = await h.gql('mutation($input: CreateTokenInput!) { createToken(input: $input) { plaintext } }', { input: { projectId, name: 'x', ...extra } });
    expect(firstError(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await h.store.tokens.find({ projectId })).toEqual([]);
  });

  it('refuses a grace period out of range and a token for a missing project', async () => {
    const { token } = await create();
    expect(firstError(await h.gql('mutation($id: ID!) { rotateToken(id: $id, graceSeconds: -1) { plaintext } }', { id: token.id }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'graceSeconds' });
    expect(firstError(await h.gql('mutation($id: ID!) { rotateToken(id: $id, graceSeconds: 99999999) { plaintext } }', { id: token.id }))).toMatchObject({ field: 'graceSeconds' });
    expect(firstError(await h.gql('mutation { createToken(input: { projectId: "missing", name: "x" }) { plaintext } }'))?.code).toBe('NOT_FOUND');
  });

  it('issues TEST tokens with the test prefix', async () => {
    const { plaintext, token } = await create({ environment: 'TEST' });
    expect(plaintext.startsWith('pc_test_')).toBe(true);
    expect(token.environment).toBe('TEST');
  });
});
