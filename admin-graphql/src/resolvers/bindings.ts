import { z } from 'zod';
import type { ProviderBindingRecord } from '@portcullis/core';
import { recordConfigChange } from '../change-log';
import type { AdminContext } from '../context';
import { badInput, notFound } from '../errors';
import { httpUrlSchema, idSchema, parseInput, providerSchema } from '../validation';
import { requireCredential, requireProject, updated } from './lookups';
import type { Args } from './types';

const upsertSchema = z.object({
  projectId: idSchema,
  provider: providerSchema,
  credentialId: idSchema,
  enabled: z.boolean().default(true),
  baseUrl: httpUrlSchema.nullish(),
});

const keySchema = z.object({ projectId: idSchema, provider: providerSchema });

const target = (binding: ProviderBindingRecord) => ({ type: 'provider_binding', id: binding.id, name: binding.provider });

async function requireBinding(ctx: AdminContext, args: Args): Promise<ProviderBindingRecord> {
  const key = parseInput(keySchema, { projectId: args.projectId, provider: args.provider });
  const binding = await ctx.host.store.bindings.findOne(key);
  if (!binding) throw notFound('provider binding', `${key.projectId}/${key.provider}`);
  return binding;
}

async function setEnabled(ctx: AdminContext, args: Args, enabled: boolean): Promise<ProviderBindingRecord> {
  const binding = await requireBinding(ctx, args);
  const next = updated(await ctx.host.store.bindings.update(binding.id, { enabled }), 'provider binding', binding.id);
  await recordConfigChange(ctx, { event: enabled ? 'provider.enabled' : 'provider.disabled', projectId: next.projectId, target: target(next) });
  return next;
}

export const bindingResolvers = {
  Mutation: {
    upsertProviderBinding: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(upsertSchema, args.input);
      await requireProject(ctx, input.projectId);
      const credential = await requireCredential(ctx, input.credentialId);
      // A key for one provider must never be sent to another.
      if (credential.provider !== input.provider) {
        throw badInput('credentialId', `credential ${credential.name} is for provider ${credential.provider}, not ${input.provider}`);
      }
      const existing = await ctx.host.store.bindings.findOne({ projectId: input.projectId, provider: input.provider });
      const binding = await ctx.host.store.bindings.upsert(
        { projectId: input.projectId, provider: input.provider },
        { projectId: input.projectId, provider: input.provider, credentialId: credential.id, enabled: input.enabled, baseUrl: input.baseUrl ?? null },
      );
      await recordConfigChange(ctx, {
        event: binding.enabled ? 'provider.enabled' : 'provider.disabled',
        projectId: binding.projectId,
        target: target(binding),
        metadata: { credentialId: credential.id, change: existing ? 'updated' : 'created' },
      });
      return binding;
    },
    enableProvider: (_: unknown, args: Args, ctx: AdminContext) => setEnabled(ctx, args, true),
    disableProvider: (_: unknown, args: Args, ctx: AdminContext) => setEnabled(ctx, args, false),
    deleteProviderBinding: async (_: unknown, args: Args, ctx: AdminContext) => {
      const binding = await requireBinding(ctx, args);
      await ctx.host.store.bindings.delete(binding.id);
      await recordConfigChange(ctx, { event: 'provider.removed', severity: 'warning', projectId: binding.projectId, target: target(binding) });
      return true;
    },
  },
  ProviderBinding: {
    project: (binding: ProviderBindingRecord, _: Args, ctx: AdminContext) => ctx.host.store.projects.get(binding.projectId),
    credential: async (binding: ProviderBindingRecord, _: Args, ctx: AdminContext) => {
      const credential = await ctx.host.store.credentials.get(binding.credentialId);
      if (!credential) return null;
      const { secretEnc: _secret, ...visible } = credential;
      return visible;
    },
  },
};
