import { z } from 'zod';
import { secretHint, type CredentialRecord, type ProviderBindingRecord } from '@portcullis/core';
import { recordConfigChange } from '../change-log';
import type { AdminContext } from '../context';
import { adminError, badInput } from '../errors';
import { httpUrlSchema, idSchema, nameSchema, parseInput, providerSchema, stringMapSchema } from '../validation';
import { requireCredential, updated } from './lookups';
import type { Args } from './types';

const secretSchema = z.string().min(1, 'must not be empty').max(16_384);

/** Options are returned by the API, so refuse names that say they hold a secret. */
const optionsSchema = stringMapSchema.superRefine((options, issue) => {
  for (const key of Object.keys(options)) {
    if (/secret|password|private/i.test(key)) {
      issue.addIssue({ code: 'custom', path: [key], message: 'options are readable by every admin; put secrets in `secret`' });
    }
  }
});

const createSchema = z.object({
  name: nameSchema,
  provider: providerSchema,
  secret: secretSchema,
  baseUrl: httpUrlSchema.nullish(),
  options: optionsSchema.nullish(),
});

const updateSchema = z.object({
  name: nameSchema.nullish(),
  baseUrl: httpUrlSchema.nullish(),
  options: optionsSchema.nullish(),
});

/** What the provider's adapter says about these options (Azure `auth: entra` needs tenantId...). */
function assertProviderAccepts(ctx: AdminContext, provider: string, options: Readonly<Record<string, string>>): void {
  const issue = ctx.host.llm.adapterFor(provider)?.validateCredentialOptions?.(options)[0];
  if (issue) throw badInput(`options.${issue.option}`, issue.message);
}

const target = (credential: CredentialRecord) => ({ type: 'credential', id: credential.id, name: credential.name });

/** The API shape of a credential: the encrypted secret never leaves the store layer. */
function present(credential: CredentialRecord): Omit<CredentialRecord, 'secretEnc'> {
  const { secretEnc: _secret, ...visible } = credential;
  return visible;
}

export const credentialResolvers = {
  Query: {
    credentials: async (_: unknown, __: Args, ctx: AdminContext) => (await ctx.host.store.credentials.find()).map(present),
    credential: async (_: unknown, args: Args, ctx: AdminContext) => {
      const credential = await ctx.host.store.credentials.get(parseInput(idSchema, args.id, 'id'));
      return credential ? present(credential) : null;
    },
  },
  Mutation: {
    createCredential: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(createSchema, args.input);
      assertProviderAccepts(ctx, input.provider, input.options ?? {});
      const credential = await ctx.host.store.credentials.create({
        name: input.name,
        provider: input.provider,
        secretEnc: ctx.host.secrets.encrypt(input.secret),
        hint: secretHint(input.secret),
        baseUrl: input.baseUrl ?? null,
        options: input.options ?? {},
      });
      await recordConfigChange(ctx, { event: 'credential.created', target: target(credential), metadata: { provider: credential.provider } });
      return present(credential);
    },
    updateCredential: async (_: unknown, args: Args, ctx: AdminContext) => {
      const id = parseInput(idSchema, args.id, 'id');
      const raw = (args.input ?? {}) as Record<string, unknown>;
      const input = parseInput(updateSchema, raw);
      const existing = await requireCredential(ctx, id);
      if (input.options != null) assertProviderAccepts(ctx, existing.provider, input.options);
      const patch: Partial<CredentialRecord> = {};
      if (input.name != null) patch.name = input.name;
      // baseUrl: null explicitly clears the override; absent leaves it alone.
      if ('baseUrl' in raw) patch.baseUrl = input.baseUrl ?? null;
      if (input.options != null) patch.options = input.options;
      if (Object.keys(patch).length === 0) throw badInput('input', 'nothing to update');
      const credential = updated(await ctx.host.store.credentials.update(id, patch), 'credential', id);
      await recordConfigChange(ctx, { event: 'credential.updated', target: target(credential), metadata: { fields: Object.keys(patch).join(',') } });
      return present(credential);
    },
    rotateCredential: async (_: unknown, args: Args, ctx: AdminContext) => {
      const id = parseInput(idSchema, args.id, 'id');
      const secret = parseInput(secretSchema, args.secret, 'secret');
      await requireCredential(ctx, id);
      const credential = updated(
        await ctx.host.store.credentials.update(id, { secretEnc: ctx.host.secrets.encrypt(secret), hint: secretHint(secret) }),
        'credential',
        id,
      );
      await recordConfigChange(ctx, { event: 'credential.rotated', severity: 'warning', target: target(credential), metadata: { provider: credential.provider } });
      return present(credential);
    },
    deleteCredential: async (_: unknown, args: Args, ctx: AdminContext) => {
      const credential = await requireCredential(ctx, parseInput(idSchema, args.id, 'id'));
      const users = await ctx.host.store.bindings.find({ credentialId: credential.id });
      if (users.length > 0) {
        const projects = await Promise.all(users.map((binding) => describeUser(ctx, binding)));
        throw adminError('CREDENTIAL_IN_USE', `credential ${credential.name} is used by: ${projects.map((p) => `${p.projectName} (${p.provider})`).join(', ')}; remove those bindings first`, {
          usedBy: projects,
        });
      }
      await ctx.host.store.credentials.delete(credential.id);
      await recordConfigChange(ctx, { event: 'credential.deleted', severity: 'warning', target: target(credential), metadata: { provider: credential.provider } });
      return true;
    },
  },
  Credential: {
    usedBy: (credential: CredentialRecord, _: Args, ctx: AdminContext) => ctx.host.store.bindings.find({ credentialId: credential.id }),
  },
};

async function describeUser(ctx: AdminContext, binding: ProviderBindingRecord): Promise<{ projectId: string; projectName: string; provider: string }> {
  const project = await ctx.host.store.projects.get(binding.projectId);
  return { projectId: binding.projectId, projectName: project?.name ?? binding.projectId, provider: binding.provider };
}
