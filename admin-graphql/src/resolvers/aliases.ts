import { z } from 'zod';
import type { AliasRecord } from '@portcullis/core';
import { recordConfigChange } from '../change-log';
import type { AdminContext } from '../context';
import { notFound } from '../errors';
import { idSchema, parseInput } from '../validation';
import { requireProject } from './lookups';
import type { Args } from './types';

/** `provider:model`; the model part may itself contain colons or slashes (e.g. bedrock ids). */
const modelTargetSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}:\S{1,200}$/, 'must be provider:model, e.g. openai:gpt-4o-mini');
const aliasNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be letters, digits, ., - or _ (no colon: that marks provider:model)');

const presetsSchema = z
  .object({
    system: z.string().max(20_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    max_tokens: z.number().int().positive().optional(),
  })
  .strict();

const upsertSchema = z.object({
  projectId: idSchema,
  name: aliasNameSchema,
  target: modelTargetSchema,
  fallbacks: z.array(modelTargetSchema).max(10).nullish(),
  presets: presetsSchema.nullish(),
});

const target = (alias: AliasRecord) => ({ type: 'alias', id: alias.id, name: alias.name });

export const aliasResolvers = {
  Mutation: {
    upsertAlias: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(upsertSchema, args.input);
      await requireProject(ctx, input.projectId);
      const key = { projectId: input.projectId, name: input.name };
      const existing = await ctx.host.store.aliases.findOne(key);
      const alias = await ctx.host.store.aliases.upsert(key, {
        ...key,
        target: input.target,
        fallbacks: input.fallbacks ?? [],
        presets: input.presets ?? {},
      });
      await recordConfigChange(ctx, {
        event: existing ? 'alias.updated' : 'alias.created',
        projectId: alias.projectId,
        target: target(alias),
        // The previous target is recorded so "who swapped fast to anthropic" is answerable.
        metadata: { target: alias.target, previousTarget: existing?.target ?? null, fallbacks: alias.fallbacks.join(',') },
      });
      return alias;
    },
    deleteAlias: async (_: unknown, args: Args, ctx: AdminContext) => {
      const key = parseInput(z.object({ projectId: idSchema, name: aliasNameSchema }), { projectId: args.projectId, name: args.name });
      const alias = await ctx.host.store.aliases.findOne(key);
      if (!alias) throw notFound('alias', `${key.projectId}/${key.name}`);
      await ctx.host.store.aliases.delete(alias.id);
      await recordConfigChange(ctx, { event: 'alias.deleted', projectId: alias.projectId, target: target(alias), metadata: { target: alias.target } });
      return true;
    },
  },
};
