import { policyValidatorService } from '@portcullis/core';
import { checkOwnedConfig } from '../owned-config';
import { z } from 'zod';
import type { PolicyKind, PolicyLevel, PolicyRecord } from '@portcullis/core';
import { recordConfigChange } from '../change-log';
import type { AdminContext } from '../context';
import { badInput, notFound } from '../errors';
import { idSchema, jsonObjectSchema, parseInput } from '../validation';
import { requireProject } from './lookups';
import type { Args } from './types';

const kindSchema = z.enum(['rate_limit', 'budget', 'guardrail']);
const levelSchema = z.enum(['global', 'project', 'endpoint', 'token', 'alias']);

const keySchema = z.object({
  kind: kindSchema,
  level: levelSchema,
  projectId: idSchema.nullish(),
  targetId: z.string().trim().min(1).max(200).nullish(),
});
const setSchema = keySchema.extend({ config: jsonObjectSchema });

export interface PolicyKey {
  kind: PolicyKind;
  level: PolicyLevel;
  projectId: string | null;
  targetId: string | null;
}

/** Which event a change of each kind is audited as. */
const CHANGE_EVENT: Record<PolicyKind, string> = {
  rate_limit: 'rate_limit.policy_changed',
  budget: 'budget.policy_changed',
  guardrail: 'guardrail.policy_changed',
};

/** A policy's key must fit its level: global has no project, project no target, the rest both. */
async function checkKey(ctx: AdminContext, input: z.output<typeof keySchema>): Promise<PolicyKey> {
  const projectId = input.projectId ?? null;
  const targetId = input.targetId ?? null;
  if (input.level === 'global') {
    if (projectId) throw badInput('projectId', 'must be empty for a GLOBAL policy');
    if (targetId) throw badInput('targetId', 'must be empty for a GLOBAL policy');
    return { kind: input.kind, level: input.level, projectId, targetId };
  }
  if (!projectId) throw badInput('projectId', `is required for a ${input.level.toUpperCase()} policy`);
  await requireProject(ctx, projectId);
  if (input.level === 'project') {
    if (targetId) throw badInput('targetId', 'must be empty for a PROJECT policy');
    return { kind: input.kind, level: input.level, projectId, targetId };
  }
  if (!targetId) throw badInput('targetId', `is required for a ${input.level.toUpperCase()} policy`);
  const { store } = ctx.host;
  const exists =
    input.level === 'token'
      ? (await store.tokens.get(targetId))?.projectId === projectId
      : input.level === 'endpoint'
        ? (await store.endpoints.get(targetId))?.projectId === projectId
        : (await store.aliases.findOne({ projectId, name: targetId })) !== null;
  if (!exists) throw badInput('targetId', `no ${input.level} ${JSON.stringify(targetId)} in project ${projectId}`);
  return { kind: input.kind, level: input.level, projectId, targetId };
}

async function versionsOf(ctx: AdminContext, key: PolicyKey): Promise<PolicyRecord[]> {
  // Store filters are equality on stored values: absent and null are matched in process.
  const all = await ctx.host.store.policies.find({ kind: key.kind, level: key.level });
  return all.filter((p) => (p.projectId ?? null) === key.projectId && (p.targetId ?? null) === key.targetId);
}

/**
 * Writes version n+1 as current, then retires older current versions. The unique key
 * (kind, level, projectId, targetId, version) turns a concurrent write into CONFLICT.
 */
export async function writePolicy(ctx: AdminContext, key: PolicyKey, config: Record<string, unknown>): Promise<PolicyRecord> {
  const previous = await versionsOf(ctx, key);
  const version = previous.reduce((max, p) => Math.max(max, p.version), 0) + 1;
  const policy = await ctx.host.store.policies.create({ ...key, version, current: true, config });
  for (const old of previous) if (old.current) await ctx.host.store.policies.update(old.id, { current: false });
  await recordConfigChange(ctx, {
    event: CHANGE_EVENT[key.kind],
    projectId: key.projectId,
    target: { type: `${key.level}_policy`, id: policy.id, name: key.targetId },
    metadata: { level: key.level, version, change: 'set' },
  });
  return policy;
}

export const policyResolvers = {
  Query: {
    policies: async (_: unknown, args: Args, ctx: AdminContext) => {
      const filter = parseInput(z.object({ kind: kindSchema.nullish(), projectId: idSchema.nullish(), includeHistory: z.boolean().nullish() }), args);
      const found = await ctx.host.store.policies.find({
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.projectId ? { projectId: filter.projectId } : {}),
        ...(filter.includeHistory ? {} : { current: true }),
      });
      return found.sort((a, b) => a.kind.localeCompare(b.kind) || a.level.localeCompare(b.level) || b.version - a.version);
    },
  },
  Mutation: {
    setPolicy: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(setSchema, args.input);
      checkOwnedConfig(ctx, policyValidatorService(input.kind), input.config);
      return writePolicy(ctx, await checkKey(ctx, input), input.config);
    },
    deletePolicy: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(keySchema, args.input);
      const key: PolicyKey = { kind: input.kind, level: input.level, projectId: input.projectId ?? null, targetId: input.targetId ?? null };
      const current = (await versionsOf(ctx, key)).filter((p) => p.current);
      if (current.length === 0) throw notFound('policy', `${key.kind}/${key.level}/${key.projectId ?? '-'}/${key.targetId ?? '-'}`);
      for (const policy of current) await ctx.host.store.policies.update(policy.id, { current: false });
      await recordConfigChange(ctx, {
        event: CHANGE_EVENT[key.kind],
        severity: 'warning',
        projectId: key.projectId,
        target: { type: `${key.level}_policy`, id: current[0]!.id, name: key.targetId },
        metadata: { level: key.level, version: current[0]!.version, change: 'deleted' },
      });
      return true;
    },
  },
};
