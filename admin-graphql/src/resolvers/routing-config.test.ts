import { firstError, startHarness, type Harness } from '../__fixtures__/harness';

describe('bindings, aliases, endpoints and policies (through HTTP)', () => {
  let h: Harness;
  let wrapper: string;
  let gateway: string;
  let openaiCred: string;
  let anthropicCred: string;

  beforeEach(async () => {
    h = await startHarness();
    const mk = async (name: string, type: string) =>
      ((await h.gql('mutation($n: String!, $t: ProjectType!) { createProject(input: { name: $n, type: $t }) { id } }', { n: name, t: type })).data?.createProject as { id: string }).id;
    wrapper = await mk('wrapper', 'AI_WRAPPER');
    gateway = await mk('gateway', 'AI_GATEWAY');
    const cred = async (name: string, provider: string) =>
      ((await h.gql('mutation($n: String!, $p: String!) { createCredential(input: { name: $n, provider: $p, secret: "sk-0123456789abcdef" }) { id } }', { n: name, p: provider })).data
        ?.createCredential as { id: string }).id;
    openaiCred = await cred('oa', 'openai');
    anthropicCred = await cred('an', 'anthropic');
  });
  afterEach(() => h.close());

  it('upserts, disables, enables and deletes a provider binding', async () => {
    const upsert = (enabled: boolean) =>
      h.gql('mutation($p: ID!, $c: ID!, $e: Boolean) { upsertProviderBinding(input: { projectId: $p, provider: "openai", credentialId: $c, enabled: $e, baseUrl: "http://127.0.0.1:1/v1" }) { id provider enabled baseUrl credential { name hint } } }', {
        p: wrapper,
        c: openaiCred,
        e: enabled,
      });
    const first = (await upsert(true)).data?.upsertProviderBinding as { id: string };
    const second = (await upsert(true)).data?.upsertProviderBinding as { id: string };
    expect(second.id).toBe(first.id);
    expect(second).toMatchObject({ provider: 'openai', enabled: true, baseUrl: 'http://127.0.0.1:1/v1', credential: { name: 'oa', hint: 'sk-…cdef' } });
    expect(h.host.config.current().bindings.get(wrapper)?.get('openai')?.enabled).toBe(true);

    expect((await h.gql('mutation($p: ID!) { disableProvider(projectId: $p, provider: "openai") { enabled } }', { p: wrapper })).data).toEqual({ disableProvider: { enabled: false } });
    expect(h.host.config.current().bindings.get(wrapper)?.get('openai')?.enabled).toBe(false);
    expect((await h.gql('mutation($p: ID!) { enableProvider(projectId: $p, provider: "openai") { enabled } }', { p: wrapper })).data).toEqual({ enableProvider: { enabled: true } });
    expect((await h.gql('mutation($p: ID!) { deleteProviderBinding(projectId: $p, provider: "openai") }', { p: wrapper })).data).toEqual({ deleteProviderBinding: true });
    expect(firstError(await h.gql('mutation($p: ID!) { enableProvider(projectId: $p, provider: "openai") { enabled } }', { p: wrapper }))?.code).toBe('NOT_FOUND');

    const events = (await h.auditEvents()).map((e) => e.event).filter((e) => e.startsWith('provider.'));
    expect(events).toEqual(['provider.enabled', 'provider.enabled', 'provider.disabled', 'provider.enabled', 'provider.removed']);
  });

  it("refuses to bind one provider's credential to another provider", async () => {
    const res = await h.gql('mutation($p: ID!, $c: ID!) { upsertProviderBinding(input: { projectId: $p, provider: "openai", credentialId: $c }) { id } }', { p: wrapper, c: anthropicCred });
    expect(firstError(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'credentialId' });
  });

  it('upserts an alias (created, then updated with the previous target audited) and deletes it', async () => {
    const upsert = (target: string) =>
      h.gql('mutation($p: ID!, $t: String!) { upsertAlias(input: { projectId: $p, name: "fast", target: $t, fallbacks: ["anthropic:claude-3-5-haiku"], presets: { temperature: 0.2, system: "Be brief." } }) { name target fallbacks presets } }', {
        p: wrapper,
        t: target,
      });
    expect((await upsert('openai:gpt-4o-mini')).data?.upsertAlias).toEqual({
      name: 'fast',
      target: 'openai:gpt-4o-mini',
      fallbacks: ['anthropic:claude-3-5-haiku'],
      presets: { temperature: 0.2, system: 'Be brief.' },
    });
    await upsert('anthropic:claude-3-5-haiku');
    expect(h.host.config.current().aliases.get(wrapper)?.get('fast')?.target).toBe('anthropic:claude-3-5-haiku');
    expect((await h.gql('query($p: ID!) { project(id: $p) { aliases { name target } } }', { p: wrapper })).data).toEqual({ project: { aliases: [{ name: 'fast', target: 'anthropic:claude-3-5-haiku' }] } });
    expect((await h.gql('mutation($p: ID!) { deleteAlias(projectId: $p, name: "fast") }', { p: wrapper })).data).toEqual({ deleteAlias: true });
    const events = (await h.auditEvents()).filter((e) => e.event.startsWith('alias.'));
    expect(events.map((e) => e.event)).toEqual(['alias.created', 'alias.updated', 'alias.deleted']);
    expect(events[1]!.metadata).toMatchObject({ target: 'anthropic:claude-3-5-haiku', previousTarget: 'openai:gpt-4o-mini' });
  });

  it.each([
    ['a target without provider', { target: 'gpt-4o' }, 'target'],
    ['a name with a colon', { name: 'a:b' }, 'name'],
    ['a bad fallback', { fallbacks: ['nope'] }, 'fallbacks.0'],
    ['temperature out of range', { presets: { temperature: 3 } }, 'presets.temperature'],
    ['an unknown preset', { presets: { seed: 1 } }, 'presets'],
  ])('refuses an alias with %s', async (_label, extra, field) => {
    const res = await h.gql('mutation($input: AliasInput!) { upsertAlias(input: $input) { id } }', { input: { projectId: wrapper, name: 'fast', target: 'openai:gpt-4o', ...extra } });
    expect(firstError(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('creates an endpoint, writes a version per update, and deletes it', async () => {
    const created = await h.gql('mutation($p: ID!) { createEndpoint(input: { projectId: $p, slug: "summarise", config: { model: "openai:gpt-4o", prompt: "x" } }) { id slug version config versions { version } } }', { p: gateway });
    const endpoint = created.data?.createEndpoint as { id: string; version: number };
    expect(endpoint).toMatchObject({ slug: 'summarise', version: 1, versions: [{ version: 1 }] });
    const updated = await h.gql('mutation($id: ID!) { updateEndpoint(id: $id, input: { config: { model: "anthropic:claude" } }) { version config versions { version config } } }', { id: endpoint.id });
    expect(updated.data?.updateEndpoint).toEqual({
      version: 2,
      config: { model: 'anthropic:claude' },
      versions: [
        { version: 2, config: { model: 'anthropic:claude' } },
        { version: 1, config: { model: 'openai:gpt-4o', prompt: 'x' } },
      ],
    });
    const deactivated = await h.gql('mutation($id: ID!) { updateEndpoint(id: $id, input: { active: false }) { version active config } }', { id: endpoint.id });
    expect(deactivated.data?.updateEndpoint).toEqual({ version: 3, active: false, config: { model: 'anthropic:claude' } });
    expect((await h.gql('mutation($id: ID!) { deleteEndpoint(id: $id) }', { id: endpoint.id })).data).toEqual({ deleteEndpoint: true });
    expect((await h.auditEvents()).map((e) => e.event).filter((e) => e.startsWith('endpoint.'))).toEqual(['endpoint.created', 'endpoint.updated', 'endpoint.updated', 'endpoint.deleted']);
  });

  it('refuses endpoints on AI_WRAPPER projects, bad slugs, non-object configs and duplicate slugs', async () => {
    expect(firstError(await h.gql('mutation($p: ID!) { createEndpoint(input: { projectId: $p, slug: "s", config: {} }) { id } }', { p: wrapper }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'projectId' });
    expect(firstError(await h.gql('mutation($p: ID!) { createEndpoint(input: { projectId: $p, slug: "Bad Slug", config: {} }) { id } }', { p: gateway }))).toMatchObject({ field: 'slug' });
    expect(firstError(await h.gql('mutation($p: ID!) { createEndpoint(input: { projectId: $p, slug: "s", config: [1] }) { id } }', { p: gateway }))).toMatchObject({ field: 'config' });
    await h.gql('mutation($p: ID!) { createEndpoint(input: { projectId: $p, slug: "s", config: {} }) { id } }', { p: gateway });
    expect(firstError(await h.gql('mutation($p: ID!) { createEndpoint(input: { projectId: $p, slug: "s", config: {} }) { id } }', { p: gateway }))?.code).toBe('CONFLICT');
  });

  it('versions policies, keeps one current, and audits by kind', async () => {
    const set = (kind: string, level: string, config: unknown, projectId: string | null = null, targetId: string | null = null) =>
      h.gql('mutation($input: SetPolicyInput!) { setPolicy(input: $input) { id kind level projectId version current config } }', { input: { kind, level, projectId, targetId, config } });
    expect((await set('GUARDRAIL', 'GLOBAL', { pii: 'mask' })).data?.setPolicy).toMatchObject({ kind: 'GUARDRAIL', level: 'GLOBAL', projectId: null, version: 1, current: true });
    expect((await set('GUARDRAIL', 'GLOBAL', { pii: 'block' })).data?.setPolicy).toMatchObject({ version: 2, current: true, config: { pii: 'block' } });
    await set('RATE_LIMIT', 'PROJECT', { rpm: 10 }, wrapper);
    await set('BUDGET', 'PROJECT', { usd: 100 }, wrapper);
    const current = await h.gql('{ policies(kind: GUARDRAIL) { version current } }');
    expect(current.data?.policies).toEqual([{ version: 2, current: true }]);
    const history = await h.gql('{ policies(kind: GUARDRAIL, includeHistory: true) { version current } }');
    expect(history.data?.policies).toEqual([
      { version: 2, current: true },
      { version: 1, current: false },
    ]);
    expect(h.host.config.current().policies.filter((p) => p.kind === 'guardrail').map((p) => p.version)).toEqual([2]);

    expect((await h.gql('mutation { deletePolicy(input: { kind: GUARDRAIL, level: GLOBAL }) }')).data).toEqual({ deletePolicy: true });
    expect((await h.gql('{ policies(kind: GUARDRAIL) { version } }')).data?.policies).toEqual([]);
    expect(firstError(await h.gql('mutation { deletePolicy(input: { kind: GUARDRAIL, level: GLOBAL }) }'))?.code).toBe('NOT_FOUND');

    const events = (await h.auditEvents()).map((e) => e.event).filter((e) => e.endsWith('.policy_changed'));
    expect(events).toEqual(['guardrail.policy_changed', 'guardrail.policy_changed', 'rate_limit.policy_changed', 'budget.policy_changed', 'guardrail.policy_changed']);
  });

  it.each([
    ['GLOBAL with a project', { level: 'GLOBAL', projectId: 'x' }, 'projectId'],
    ['PROJECT without a project', { level: 'PROJECT' }, 'projectId'],
    ['TOKEN without a target', { level: 'TOKEN', projectId: '$wrapper' }, 'targetId'],
    ['TOKEN naming a missing token', { level: 'TOKEN', projectId: '$wrapper', targetId: 'nope' }, 'targetId'],
    ['a non-object config', { level: 'GLOBAL', config: 5 }, 'config'],
  ])('refuses a policy: %s', async (_label, extra, field) => {
    const input = { kind: 'RATE_LIMIT', config: { rpm: 1 }, ...extra } as Record<string, unknown>;
    if (input.projectId === '$wrapper') input.projectId = wrapper;
    const res = await h.gql('mutation($input: SetPolicyInput!) { setPolicy(input: $input) { id } }', { input });
    expect(firstError(res)).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});
