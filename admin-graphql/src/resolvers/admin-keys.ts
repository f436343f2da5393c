import { z } from 'zod';
import type { AdminKeyRecord } from '@portcullis/core';
import { recordAudit } from '../change-log';
import type { AdminContext } from '../context';
import { idSchema, nameSchema, parseInput } from '../validation';
import { updated } from './lookups';
import { notFound } from '../errors';
import type { Args } from './types';

const createSchema = z.object({ name: nameSchema, role: z.enum(['admin', 'viewer']) });

function present(key: AdminKeyRecord): Omit<AdminKeyRecord, 'hash'> {
  const { hash: _hash, ...visible } = key;
  return visible;
}

const target = (key: AdminKeyRecord) => ({ type: 'admin_key', id: key.id, name: key.name });

// Admin keys are not hot-path config: no snapshot reload, audit only.
export const adminKeyResolvers = {
  Query: {
    me: (_: unknown, __: Args, ctx: AdminContext) => ctx.actor,
    adminKeys: async (_: unknown, __: Args, ctx: AdminContext) => (await ctx.host.store.adminKeys.find()).map(present),
  },
  Mutation: {
    createAdminKey: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(createSchema, args.input);
      const issued = ctx.host.tokens.generate('admin');
      const key = await ctx.host.store.adminKeys.create({ name: input.name, role: input.role, hash: issued.hash, prefix: issued.prefix, active: true, lastUsedAt: null });
      recordAudit(ctx, { event: 'admin_key.created', severity: 'warning', target: target(key), metadata: { role: key.role, prefix: key.prefix } });
      return { adminKey: present(key), plaintext: issued.plaintext };
    },
    revokeAdminKey: async (_: unknown, args: Args, ctx: AdminContext) => {
      const id = parseInput(idSchema, args.id, 'id');
      const existing = await ctx.host.store.adminKeys.get(id);
      if (!existing) throw notFound('admin key', id);
      const key = updated(await ctx.host.store.adminKeys.update(id, { active: false }), 'admin key', id);
      recordAudit(ctx, { event: 'admin_key.revoked', severity: 'warning', target: target(key), metadata: { role: key.role, prefix: key.prefix } });
      return present(key);
    },
  },
};
