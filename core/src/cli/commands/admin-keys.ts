import type { CliContext } from '../context';

export async function adminCreateKey(ctx: CliContext, name: string, role: 'admin' | 'viewer'): Promise<string> {
  const generated = ctx.tokens.generate('admin');
  const key = await ctx.store.adminKeys.create({ name, role, hash: generated.hash, prefix: generated.prefix, active: true });
  await ctx.store.audit.append({ event: 'admin_key.created', severity: 'warning', actor: { type: 'cli' }, target: { type: 'admin_key', id: key.id, name }, metadata: { role } });
  return [`created ${role} key ${key.id} (${key.prefix})`, '', `  ${generated.plaintext}`, '', 'This is the only time the key is shown. Store it now.'].join('\n');
}
