import { firstError, startHarness, type Harness } from './__fixtures__/harness';

describe('admin API access control (through HTTP)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const ME = '{ me { id name role } }';

  it('answers an admin key with its identity', async () => {
    const res = await h.gql(ME);
    expect(res.status).toBe(200);
    expect(res.data?.me).toMatchObject({ name: 'harness-admin', role: 'ADMIN' });
  });

  it.each([
    ['no key', null, 'missing'],
    ['a malformed key', 'not-a-key', 'malformed'],
    ['an unknown admin key', `pc_admin_${'x'.repeat(43)}`, 'unknown'],
    ['a client token instead of an admin key', `pc_live_${'A'.repeat(43)}`, 'malformed'],
  ])('refuses %s with UNAUTHENTICATED (HTTP 401) and audits auth.login_failed', async (_label, key, reason) => {
    const before = (await h.auditEvents()).length;
    const res = await h.gql(ME, undefined, key);
    expect(res.status).toBe(401);
    expect(res.data ?? null).toBeNull();
    expect(firstError(res)?.code).toBe('UNAUTHENTICATED');
    const events = (await h.auditEvents()).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'auth.login_failed', severity: 'warning', actor: { type: 'anonymous' }, metadata: { reason } });
    expect(events[0]!.ip).toMatch(/127\.0\.0\.1/);
    if (key) expect(JSON.stringify(events)).not.toContain(key);
  });

  it('refuses a non-Bearer authorization scheme', async () => {
    const response = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`x:${h.adminKey}`).toString('base64')}` },
      body: JSON.stringify({ query: ME }),
    });
    expect(response.status).toBe(401);
  });

  it('does not validate or introspect for an unauthenticated caller', async () => {
    const res = await h.gql('{ __schema { types { name } } }', undefined, null);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('Project');
  });

  it('lets a VIEWER key query', async () => {
    const res = await h.gql('{ me { role } projects { id } credentials { id hint } }', undefined, h.viewerKey);
    expect(res.errors).toBeUndefined();
    expect(res.data?.me).toEqual({ role: 'VIEWER' });
  });

  it('refuses a mutation from a VIEWER key with FORBIDDEN (HTTP 403), audited, and changes nothing', async () => {
    const before = (await h.auditEvents()).length;
    const invalidations = h.invalidations.length;
    const res = await h.gql('mutation { createProject(input: { name: "x", type: AI_WRAPPER }) { id } }', undefined, h.viewerKey);
    expect(res.status).toBe(403);
    expect(firstError(res)?.code).toBe('FORBIDDEN');
    expect(await h.store.projects.find({ name: 'x' })).toEqual([]);
    expect(h.invalidations).toHaveLength(invalidations);
    const events = (await h.auditEvents()).slice(before);
    expect(events).toEqual([
      expect.objectContaining({ event: 'auth.forbidden', actor: expect.objectContaining({ type: 'admin_key', name: 'harness-viewer' }) }),
    ]);
  });

  it('stops accepting an admin key once it is revoked', async () => {
    const created = await h.gql('mutation { createAdminKey(input: { name: "temp", role: ADMIN }) { plaintext adminKey { id prefix role active } } }');
    const issued = created.data?.createAdminKey as { plaintext: string; adminKey: { id: string; prefix: string; role: string } };
    expect(issued.plaintext).toMatch(/^pc_admin_/);
    expect(issued.adminKey.prefix).toBe(`${issued.plaintext.slice(0, 13)}…`);
    expect((await h.gql(ME, undefined, issued.plaintext)).data?.me).toMatchObject({ name: 'temp' });

    const revoked = await h.gql('mutation($id: ID!) { revokeAdminKey(id: $id) { active } }', { id: issued.adminKey.id });
    expect(revoked.data?.revokeAdminKey).toEqual({ active: false });
    const after = await h.gql(ME, undefined, issued.plaintext);
    expect(after.status).toBe(401);
    const events = await h.auditEvents();
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['admin_key.created', 'admin_key.revoked']));
    expect(events.at(-1)).toMatchObject({ event: 'auth.login_failed', metadata: { reason: 'revoked' } });
    expect(JSON.stringify(events)).not.toContain(issued.plaintext);
  });

  it('never returns admin key hashes', async () => {
    const res = await h.gql('{ adminKeys { id name role prefix active } }');
    expect(res.text).not.toMatch(/[0-9a-f]{64}/);
    expect((res.data?.adminKeys as unknown[]).length).toBeGreaterThanOrEqual(2);
  });
});
