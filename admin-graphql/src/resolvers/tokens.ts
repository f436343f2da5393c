import { z } from 'zod';
import type { TokenRecord } from '@portcullis/core';
import { recordConfigChange } from '../change-log';
import type { AdminContext } from '../context';
import { adminError, badInput } from '../errors';
import { idSchema, isoTimeSchema, jsonObjectSchema, nameSchema, parseInput, stringMapSchema } from '../validation';
import { writePolicy } from './policies';
import { requireProject, requireToken, updated } from './lookups';
import type { Args } from './types';

/** Longest grace period a rotation may keep the old secret alive: 30 days. */
export const MAX_ROTATION_GRACE_SECONDS = 30 * 24 * 3600;

const scopeSchema = z.string().regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'must be a scope name such as chat, models, embeddings, proxy');
const scopesSchema = z.array(scopeSchema).min(1, 'at least one scope').max(50).transform((scopes) => [...new Set(scopes)]);
const futureTimeSchema = isoTimeSchema.refine((value) => Date.parse(value) > Date.now(), 'must be in the future');
const allowlistSchema = z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be an endpoint slug')).max(200);
const subjectSchema = z.string().trim().min(1).max(200);

const createSchema = z.object({
  projectId: idSchema,
  name: nameSchema,
  environment: z.enum(['live', 'test']).default('live'),
  scopes: scopesSchema.default(['chat', 'models']),
  expiresAt: futureTimeSchema.nullish(),
  endpointAllowlist: allowlistSchema.nullish(),
  subject: subjectSchema.nullish(),
  metadata: stringMapSchema.nullish(),
  rateLimit: jsonObjectSchema.nullish(),
  budget: jsonObjectSchema.nullish(),
});

const updateSchema = z.object({
  name: nameSchema.nullish(),
  scopes: scopesSchema.nullish(),
  expiresAt: futureTimeSchema.nullish(),
  endpointAllowlist: allowlistSchema.nullish(),
  subject: subjectSchema.nullish(),
  metadata: stringMapSchema.nullish(),
});

const graceSchema = z.number().int().min(0).max(MAX_ROTATION_GRACE_SECONDS);

const target = (token: TokenRecord) => ({ type: 'token', id: token.id, name: token.name });

/** The API shape of a token: hashes stay in the store. */
function present(token: TokenRecord): Omit<TokenRecord, 'hash' | 'previousHash'> {
  const { hash: _hash, previousHash: _previous, ...visible } = token;
  return visible;
}

async function setState(ctx: AdminContext, id: string, change: 'activated' | 'deactivated' | 'revoked') {
  const token = await requireToken(ctx, id);
  if (token.revokedAt && change !== 'revoked') throw adminError('CONFLICT', 'token is revoked; revocation is permanent');
  const patch: Partial<TokenRecord> =
    change === 'revoked'
      ? { active: false, revokedAt: token.revokedAt ?? new Date().toISOString(), previousHash: null, previousExpiresAt: null }
      : { active: change === 'activated' };
  const next = updated(await ctx.host.store.tokens.update(id, patch), 'token', id);
  await recordConfigChange(ctx, {
    event: `token.${change}`,
    severity: change === 'activated' ? 'info' : 'warning',
    projectId: next.projectId,
    target: target(next),
    metadata: { prefix: next.prefix },
  });
  return present(next);
}

export const tokenResolvers = {
  Query: {
    tokens: async (_: unknown, args: Args, ctx: AdminContext) =>
      (await ctx.host.store.tokens.find({ projectId: parseInput(idSchema, args.projectId, 'projectId') })).map(present),
    token: async (_: unknown, args: Args, ctx: AdminContext) => {
      const token = await ctx.host.store.tokens.get(parseInput(idSchema, args.id, 'id'));
      return token ? present(token) : null;
    },
  },
  Mutation: {
    createToken: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(createSchema, args.input);
      const project = await requireProject(ctx, input.projectId);
      const issued = ctx.host.tokens.generate(input.environment);
      const token = await ctx.host.store.tokens.create({
        projectId: project.id,
        name: input.name,
        environment: input.environment,
        hash: issued.hash,
        prefix: issued.prefix,
        scopes: input.scopes,
        expiresAt: input.expiresAt ?? null,
        endpointAllowlist: input.endpointAllowlist ?? [],
        subject: input.subject ?? null,
        active: true,
        revokedAt: null,
        previousHash: null,
        previousExpiresAt: null,
        lastUsedAt: null,
        metadata: input.metadata ?? {},
      });
      await recordConfigChange(ctx, {
        event: 'token.created',
        projectId: project.id,
        target: target(token),
        metadata: { prefix: token.prefix, environment: token.environment, scopes: token.scopes.join(','), expiresAt: token.expiresAt ?? null },
      });
      const key = { level: 'token' as const, projectId: project.id, targetId: token.id };
      if (input.rateLimit) await writePolicy(ctx, { kind: 'rate_limit', ...key }, input.rateLimit);
      if (input.budget) await writePolicy(ctx, { kind: 'budget', ...key }, input.budget);
      return { token: present(token), plaintext: issued.plaintext };
    },
    updateToken: async (_: unknown, args: Args, ctx: AdminContext) => {
      const id = parseInput(idSchema, args.id, 'id');
      const raw = (args.input ?? {}) as Record<string, unknown>;
      const input = parseInput(updateSchema, raw);
      await requireToken(ctx, id);
      const patch: Partial<TokenRecord> = {};
      if (input.name != null) patch.name = input.name;
      if (input.scopes != null) patch.scopes = input.scopes;
      if (input.endpointAllowlist != null) patch.endpointAllowlist = input.endpointAllowlist;
      if (input.metadata != null) patch.metadata = input.metadata;
      // Explicit null clears expiry / subject; absent leaves them.
      if ('expiresAt' in raw) patch.expiresAt = input.expiresAt ?? null;
      if ('subject' in raw) patch.subject = input.subject ?? null;
      if (Object.keys(patch).length === 0) throw badInput('input', 'nothing to update');
      const token = updated(await ctx.host.store.tokens.update(id, patch), 'token', id);
      await recordConfigChange(ctx, { event: 'token.updated', projectId: token.projectId, target: target(token), metadata: { fields: Object.keys(patch).join(',') } });
      return present(token);
    },
    rotateToken: async (_: unknown, args: Args, ctx: AdminContext) => {
      const id = parseInput(idSchema, args.id, 'id');
      const graceSeconds = parseInput(graceSchema, args.graceSeconds ?? 3600, 'graceSeconds');
      const current = await requireToken(ctx, id);
      if (current.revokedAt) throw adminError('CONFLICT', 'token is revoked; revocation is permanent');
      const issued = ctx.host.tokens.generate(current.environment);
      const token = updated(
        await ctx.host.store.tokens.update(id, {
          hash: issued.hash,
          prefix: issued.prefix,
          previousHash: graceSeconds > 0 ? current.hash : null,
          previousExpiresAt: graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000).toISOString() : null,
        }),
        'token',
        id,
      );
      await recordConfigChange(ctx, {
        event: 'token.rotated',
        severity: 'warning',
        projectId: token.projectId,
        target: target(token),
        metadata: { prefix: token.prefix, previousPrefix: current.prefix, graceSeconds },
      });
      return { token: present(token), plaintext: issued.plaintext };
    },
    deactivateToken: (_: unknown, args: Args, ctx: AdminContext) => setState(ctx, parseInput(idSchema, args.id, 'id'), 'deactivated'),
    activateToken: (_: unknown, args: Args, ctx: AdminContext) => setState(ctx, parseInput(idSchema, args.id, 'id'), 'activated'),
    revokeToken: (_: unknown, args: Args, ctx: AdminContext) => setState(ctx, parseInput(idSchema, args.id, 'id'), 'revoked'),
  },
  ApiToken: {
    policies: (token: TokenRecord, _: Args, ctx: AdminContext) =>
      ctx.host.store.policies.find({ level: 'token', projectId: token.projectId, targetId: token.id, current: true }),
  },
};
