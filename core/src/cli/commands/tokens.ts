import type { CliContext } from '../context';

export interface TokenCreateArgs {
  project: string;
  name: string;
  scopes: string[];
  environment: 'live' | 'test';
  expiresInDays?: number;
  subject?: string;
}

export async function tokenCreate(ctx: CliContext, args: TokenCreateArgs): Promise<string> {
  const project = (await ctx.store.projects.get(args.project)) ?? (await ctx.store.projects.findOne({ name: args.project }));
  if (!project) throw new Error(`no project with id or name "${args.project}"`);
  const generated = ctx.tokens.generate(args.environment);
  const expiresAt = args.expiresInDays ? new Date(Date.now() + args.expiresInDays * 86_400_000).toISOString() : null;
  const token = await ctx.store.tokens.create({
    projectId: project.id,
    name: args.name,
    environment: args.environment,
    hash: generated.hash,
    prefix: generated.prefix,
    scopes: args.scopes,
    expiresAt,
    endpointAllowlist: [],
    subject: args.subject ?? null,
    active: true,
    metadata: {},
  });
  await ctx.store.audit.append({
    event: 'token.created',
    severity: 'info',
    actor: { type: 'cli' },
    projectId: project.id,
    target: { type: 'token', id: token.id, name: token.name },
    metadata: { scopes: args.scopes.join(','), environment: args.environment },
  });
  await ctx.announce('token.created');
  return [`created token ${token.id} (${token.prefix}) for project ${project.name}`, '', `  ${generated.plaintext}`, '', 'This is the only time the token is shown. Store it now.'].join('\n');
}

export async function tokenRevoke(ctx: CliContext, id: string): Promise<string> {
  const token = await ctx.store.tokens.update(id, { active: false, revokedAt: new Date().toISOString() });
  if (!token) throw new Error(`no token with id ${id}`);
  await ctx.store.audit.append({ event: 'token.revoked', severity: 'warning', actor: { type: 'cli' }, projectId: token.projectId, target: { type: 'token', id, name: token.name } });
  await ctx.announce('token.revoked');
  return `revoked token ${id} (${token.prefix})`;
}

export async function tokenList(ctx: CliContext, project?: string): Promise<string> {
  const tokens = await ctx.store.tokens.find(project ? { projectId: project } : {});
  const rows = tokens.map((t) =>
    [t.id, t.name, t.prefix, t.scopes.join(','), t.revokedAt ? 'revoked' : t.active ? 'active' : 'inactive', t.expiresAt ?? '-', t.lastUsedAt ?? '-'].join('\t'),
  );
  return ['id\tname\tprefix\tscopes\tstate\texpires\tlast used', ...rows].join('\n');
}
