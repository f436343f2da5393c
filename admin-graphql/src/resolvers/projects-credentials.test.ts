import { firstError, startHarness, type Harness } from '../__fixtures__/harness';

describe('projects and credentials (through HTTP)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  const createProject = async (name = 'demo', type = 'AI_WRAPPER') => {
    const res = await h.gql('mutation($name: String!, $type: ProjectType!) { createProject(input: { name: $name, type: $type }) { id name type environment active logBodies metadata } }', {
      name,
      type,
    });
    expect(res.errors).toBeUndefined();
    return res.data?.createProject as { id: string; name: string; type: string; active: boolean };
  };
  const SECRET = 'sk-test-abcdefghijklmnop9xQ2';
  const createCredential = async (name = 'openai-main', provider = 'openai', secret = SECRET) => {
    const res = await h.gql(
      'mutation($input: CreateCredentialInput!) { createCredential(input: $input) { id name provider hint baseUrl options } }',
      { input: { name, provider, secret, baseUrl: 'http://127.0.0.1:9/v1', options: { organization: 'org-1' } } },
    );
    expect(res.errors).toBeUndefined();
    return res.data?.createCredential as { id: string; hint: string };
  };

  it('creates, updates, deactivates, activates and deletes a project, invalidating config and auditing each step', async () => {
    const project = await createProject();
    expect(project).toMatchObject({ name: 'demo', type: 'AI_WRAPPER', active: true });
    expect(project.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.host.config.current().projects.get(project.id)?.name).toBe('demo');

    const updated = await h.gql('mutation($id: ID!) { updateProject(id: $id, input: { name: "demo2", environment: "staging", logBodies: true }) { name environment logBodies } }', { id: project.id });
    expect(updated.data?.updateProject).toEqual({ name: 'demo2', environment: 'staging', logBodies: true });
    expect((await h.gql('mutation($id: ID!) { deactivateProject(id: $id) { active } }', { id: project.id })).data).toEqual({ deactivateProject: { active: false } });
    expect(h.host.config.current().projects.get(project.id)?.active).toBe(false);
    expect((await h.gql('mutation($id: ID!) { activateProject(id: $id) { active } }', { id: project.id })).data).toEqual({ activateProject: { active: true } });
    expect((await h.gql('{ projects { id } }')).data?.projects).toEqual([{ id: project.id }]);
    expect((await h.gql('mutation($id: ID!) { deleteProject(id: $id) }', { id: project.id })).data).toEqual({ deleteProject: true });
    expect((await h.gql('query($id: ID!) { project(id: $id) { id } }', { id: project.id })).data).toEqual({ project: null });

    expect(h.invalidations).toHaveLength(5);
    const events = (await h.auditEvents()).filter((e) => e.event.startsWith('project.'));
    expect(events.map((e) => e.event)).toEqual(['project.created', 'project.updated', 'project.deactivated', 'project.activated', 'project.deleted']);
    for (const event of events) {
      expect(event).toMatchObject({ projectId: project.id, actor: { type: 'admin_key', name: 'harness-admin' }, target: { type: 'project', id: project.id } });
      expect(event.ip).toMatch(/127\.0\.0\.1/);
    }
  });

  it('deleting a project deletes what belongs to it', async () => {
    const project = await createProject();
    const credential = await createCredential();
    await h.gql('mutation($p: ID!, $c: ID!) { upsertProviderBinding(input: { projectId: $p, provider: "openai", credentialId: $c }) { id } }', { p: project.id, c: credential.id });
    await h.gql('mutation($p: ID!) { createToken(input: { projectId: $p, name: "t" }) { plaintext } }', { p: project.id });
    await h.gql('mutation($id: ID!) { deleteProject(id: $id) }', { id: project.id });
    expect(await h.store.bindings.find({ projectId: project.id })).toEqual([]);
    expect(await h.store.tokens.find({ projectId: project.id })).toEqual([]);
    // Once nothing uses it, the credential can go.
    expect((await h.gql('mutation($id: ID!) { deleteCredential(id: $id) }', { id: credential.id })).data).toEqual({ deleteCredential: true });
  });

  it.each([
    ['an empty name', { name: ' ', type: 'AI_WRAPPER' }, 'name'],
    ['a bad environment', { name: 'x', type: 'AI_WRAPPER', environment: 'Prod Env' }, 'environment'],
    ['non-string metadata', { name: 'x', type: 'AI_WRAPPER', metadata: { a: 1 } }, 'metadata.a'],
  ])('refuses a project with %s as BAD_USER_INPUT naming the field', async (_label, input, field) => {
    const res = await h.gql('mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }', { input });
    expect(firstError(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.text).not.toMatch(/stacktrace/);
    expect(h.invalidations).toHaveLength(0);
  });

  it('refuses an unknown project type through GraphQL enum validation', async () => {
    const res = await h.gql('mutation { createProject(input: { name: "x", type: SOMETHING }) { id } }');
    expect(firstError(res)?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('answers NOT_FOUND for a missing project, and refuses an empty update', async () => {
    expect(firstError(await h.gql('mutation { activateProject(id: "nope") { id } }'))?.code).toBe('NOT_FOUND');
    const project = await createProject();
    expect(firstError(await h.gql('mutation($id: ID!) { updateProject(id: $id, input: {}) { id } }', { id: project.id }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
  });

  it('stores a credential encrypted, shows only a hint, and never returns the secret', async () => {
    const credential = await createCredential();
    expect(credential).toMatchObject({ name: 'openai-main', provider: 'openai', hint: 'sk-…9xQ2', baseUrl: 'http://127.0.0.1:9/v1', options: { organization: 'org-1' } });
    const stored = await h.store.credentials.get(credential.id);
    expect(stored?.secretEnc).not.toContain(SECRET);
    expect(h.host.secrets.decrypt(stored!.secretEnc)).toBe(SECRET);
    const listed = await h.gql('{ credentials { id name provider hint baseUrl options createdAt updatedAt } }');
    expect(listed.text).not.toContain(SECRET);
    expect(listed.text).not.toContain(stored!.secretEnc);
    // The schema has no field that could carry the secret.
    expect(firstError(await h.gql('{ credentials { secret } }'))?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(firstError(await h.gql('{ credentials { secretEnc } }'))?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('updates and rotates a credential, auditing without the secret', async () => {
    const credential = await createCredential();
    const updated = await h.gql('mutation($id: ID!) { updateCredential(id: $id, input: { name: "renamed", baseUrl: null }) { name baseUrl } }', { id: credential.id });
    expect(updated.data?.updateCredential).toEqual({ name: 'renamed', baseUrl: null });
    const NEW_SECRET = 'sk-rotated-zyxwvutsrqpo1234';
    const rotated = await h.gql('mutation($id: ID!, $s: String!) { rotateCredential(id: $id, secret: $s) { hint } }', { id: credential.id, s: NEW_SECRET });
    expect(rotated.data?.rotateCredential).toEqual({ hint: 'sk-…1234' });
    expect(h.host.secrets.decrypt((await h.store.credentials.get(credential.id))!.secretEnc)).toBe(NEW_SECRET);
    expect(h.host.config.current().credentials.get(credential.id)?.hint).toBe('sk-…1234');
    const events = await h.auditEvents();
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['credential.created', 'credential.updated', 'credential.rotated']));
    const dump = JSON.stringify(events);
    expect(dump).not.toContain(SECRET);
    expect(dump).not.toContain(NEW_SECRET);
  });

  it.each([
    ['a provider with capitals', { provider: 'OpenAI' }, 'provider'],
    ['an empty secret', { secret: '' }, 'secret'],
    ['a non-http baseUrl', { baseUrl: 'file:///etc/passwd' }, 'baseUrl'],
    ['a baseUrl with credentials', { baseUrl: 'https://user:pw@example.com' }, 'baseUrl'],
    ['a secret-looking option', { options: { clientSecret: 'x' } }, 'options.clientSecret'],
    ['Entra auth without a tenant (the adapter says so)', { provider: 'azure-openai', options: { auth: 'entra', clientId: '11111111-2222-3333-4444-555555555555' } }, 'options.tenantId'],
    ['an unknown Azure auth mode', { provider: 'azure-openai', options: { auth: 'magic' } }, 'options.auth'],
  ])('refuses a credential with %s', async (_label, patch, field) => {
    const input = { name: 'c', provider: 'openai', secret: 'sk-aaaaaaaaaaaa', ...patch };
    const res = await h.gql('mutation($input: CreateCredentialInput!) { createCredential(input: $input) { id } }', { input });
    expect(firstError(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('accepts complete Entra options, and checks options on update against the stored provider', async () => {
    const input = { name: 'az', provider: 'azure-openai', secret: 'client-secret-0000', options: { auth: 'entra', tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555' } };
    const created = await h.gql('mutation($input: CreateCredentialInput!) { createCredential(input: $input) { id options } }', { input });
    expect(created.errors).toBeUndefined();
    const id = (created.data?.createCredential as { id: string }).id;
    const res = await h.gql('mutation($id: ID!, $input: UpdateCredentialInput!) { updateCredential(id: $id, input: $input) { id } }', { id, input: { options: { auth: 'entra' } } });
    expect(firstError(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'options.tenantId' });
  });

  it('refuses a duplicate credential name as CONFLICT', async () => {
    await createCredential('same');
    const res = await h.gql('mutation { createCredential(input: { name: "same", provider: "openai", secret: "sk-bbbbbbbbbbbb" }) { id } }');
    expect(firstError(res)?.code).toBe('CONFLICT');
  });

  it('refuses to delete a credential in use, naming the projects that use it', async () => {
    const a = await createProject('alpha');
    const b = await createProject('beta');
    const credential = await createCredential();
    for (const project of [a, b]) {
      const bound = await h.gql('mutation($p: ID!, $c: ID!) { upsertProviderBinding(input: { projectId: $p, provider: "openai", credentialId: $c }) { id } }', { p: project.id, c: credential.id });
      expect(bound.errors).toBeUndefined();
    }
    const res = await h.gql('mutation($id: ID!) { deleteCredential(id: $id) }', { id: credential.id });
    const error = firstError(res);
    expect(error?.code).toBe('CREDENTIAL_IN_USE');
    expect(error?.message).toContain('alpha');
    expect(error?.message).toContain('beta');
    expect(res.errors?.[0]?.extensions?.usedBy).toEqual(expect.arrayContaining([expect.objectContaining({ projectId: a.id, projectName: 'alpha', provider: 'openai' })]));
    expect(await h.store.credentials.get(credential.id)).not.toBeNull();
    const usedBy = await h.gql('query($id: ID!) { credential(id: $id) { usedBy { project { name } } } }', { id: credential.id });
    expect(usedBy.data?.credential).toEqual({ usedBy: expect.arrayContaining([{ project: { name: 'alpha' } }, { project: { name: 'beta' } }]) });
  });
});
