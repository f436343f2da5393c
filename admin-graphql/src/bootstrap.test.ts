import { startHarness } from './__fixtures__/harness';
import { ensureBootstrapKeys } from './bootstrap';
import { adminGraphqlConfigSchema, resolveIntrospection } from './config';

describe('bootstrap admin keys', () => {
  it('creates each configured key once, by hash, and never re-activates a revoked one', async () => {
    const h = await startHarness();
    try {
      const value = h.host.tokens.generate('admin').plaintext;
      const keys = [{ name: 'ci', role: 'admin' as const, value }];
      await ensureBootstrapKeys(h.host, keys);
      await ensureBootstrapKeys(h.host, keys);
      const stored = await h.store.adminKeys.find({ name: 'ci' });
      expect(stored).toHaveLength(1);
      expect(stored[0]!.hash).toBe(h.host.tokens.hash(value));
      expect(JSON.stringify(stored)).not.toContain(value);
      expect((await h.gql('{ me { name } }', undefined, value)).data).toEqual({ me: { name: 'ci' } });

      await h.store.adminKeys.update(stored[0]!.id, { active: false });
      await ensureBootstrapKeys(h.host, keys);
      expect((await h.store.adminKeys.get(stored[0]!.id))?.active).toBe(false);
      const events = (await h.auditEvents()).filter((e) => e.event === 'admin_key.created' && e.target?.name === 'ci');
      expect(events).toHaveLength(1);
      expect(events[0]!.actor.type).toBe('system');
    } finally {
      await h.close();
    }
  });
});

describe('config schema', () => {
  it('applies the documented defaults', () => {
    expect(adminGraphqlConfigSchema.parse({})).toEqual({
      path: '/admin/graphql',
      maxDepth: 10,
      maxCost: 5000,
      maxBodyBytes: 100_000,
      maxPageSize: 100,
      maxExportEvents: 100_000,
      bootstrapKeys: [],
    });
  });

  it.each([
    [{ path: 'admin' }, 'path'],
    [{ maxDepth: 1 }, 'maxDepth'],
    [{ maxBodyBytes: 10 }, 'maxBodyBytes'],
    [{ bootstrapKeys: [{ name: 'x', role: 'admin', value: 'pc_live_abcdefghijklmnopqrstuv' }] }, 'bootstrapKeys'],
    [{ bootstrapKeys: [{ name: 'x', role: 'root', value: `pc_admin_${'a'.repeat(30)}` }] }, 'bootstrapKeys'],
  ])('refuses %j', (input, field) => {
    const result = adminGraphqlConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });

  it('turns introspection on outside production unless configured', () => {
    const defaults = adminGraphqlConfigSchema.parse({});
    expect(resolveIntrospection(defaults, 'development')).toBe(true);
    expect(resolveIntrospection(defaults, 'production')).toBe(false);
    expect(resolveIntrospection(adminGraphqlConfigSchema.parse({ introspection: true }), 'production')).toBe(true);
  });
});
