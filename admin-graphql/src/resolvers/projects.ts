import { z } from 'zod';
import type { ProjectRecord } from '@portcullis/core';
import { recordConfigChange } from '../change-log';
import type { AdminContext } from '../context';
import { badInput } from '../errors';
import { idSchema, nameSchema, parseInput, stringMapSchema } from '../validation';
import { requireProject, updated } from './lookups';
import type { Args } from './types';

const environmentSchema = z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be lowercase letters, digits, - or _ (e.g. production, staging)');

const createSchema = z.object({
  name: nameSchema,
  type: z.enum(['ai_wrapper', 'ai_gateway', 'api_proxy']),
  environment: environmentSchema.default('production'),
  logBodies: z.boolean().default(false),
  metadata: stringMapSchema.nullish(),
});

const updateSchema = z.object({
  name: nameSchema.nullish(),
  environment: environmentSchema.nullish(),
  logBodies: z.boolean().nullish(),
  metadata: stringMapSchema.nullish(),
});

const target = (project: ProjectRecord) => ({ type: 'project', id: project.id, name: project.name });

async function setActive(ctx: AdminContext, id: string, active: boolean): Promise<ProjectRecord> {
  const project = await requireProject(ctx, id);
  const next = updated(await ctx.host.store.projects.update(project.id, { active }), 'project', id);
  await recordConfigChange(ctx, {
    event: active ? 'project.activated' : 'project.deactivated',
    severity: active ? 'info' : 'warning',
    projectId: id,
    target: target(next),
  });
  return next;
}

/** Deletes the project's children first so nothing is left that names a missing project. */
async function deleteChildren(ctx: AdminContext, projectId: string): Promise<Record<string, number>> {
  const { store } = ctx.host;
  const counts: Record<string, number> = {};
  const sweep = async (name: string, find: () => Promise<{ id: string }[]>, remove: (id: string) => Promise<boolean>) => {
    const records = await find();
    for (const record of records) await remove(record.id);
    counts[name] = records.length;
  };
  await sweep('tokens', () => store.tokens.find({ projectId }), (id) => store.tokens.delete(id));
  await sweep('bindings', () => store.bindings.find({ projectId }), (id) => store.bindings.delete(id));
  await sweep('aliases', () => store.aliases.find({ projectId }), (id) => store.aliases.delete(id));
  await sweep('policies', () => store.policies.find({ projectId }), (id) => store.policies.delete(id));
  const endpoints = await store.endpoints.find({ projectId });
  for (const endpoint of endpoints) {
    for (const version of await store.endpointVersions.find({ endpointId: endpoint.id })) await store.endpointVersions.delete(version.id);
    await store.endpoints.delete(endpoint.id);
  }
  counts.endpoints = endpoints.length;
  return counts;
}

export const projectResolvers = {
  Query: {
    projects: (_: unknown, __: Args, ctx: AdminContext) => ctx.host.store.projects.find(),
    project: (_: unknown, args: Args, ctx: AdminContext) => ctx.host.store.projects.get(parseInput(idSchema, args.id, 'id')),
  },
  Mutation: {
    createProject: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(createSchema, args.input);
      const project = await ctx.host.store.projects.create({
        name: input.name,
        type: input.type,
        environment: input.environment,
        logBodies: input.logBodies,
        metadata: input.metadata ?? {},
        active: true,
      });
      await recordConfigChange(ctx, { event: 'project.created', projectId: project.id, target: target(project), metadata: { type: project.type } });
      return project;
    },
    updateProject: async (_: unknown, args: Args, ctx: AdminContext) => {
      const id = parseInput(idSchema, args.id, 'id');
      const input = parseInput(updateSchema, args.input);
      await requireProject(ctx, id);
      const patch: Partial<ProjectRecord> = {};
      if (input.name != null) patch.name = input.name;
      if (input.environment != null) patch.environment = input.environment;
      if (input.logBodies != null) patch.logBodies = input.logBodies;
      if (input.metadata != null) patch.metadata = input.metadata;
      if (Object.keys(patch).length === 0) throw badInput('input', 'nothing to update');
      const project = updated(await ctx.host.store.projects.update(id, patch), 'project', id);
      await recordConfigChange(ctx, { event: 'project.updated', projectId: id, target: target(project), metadata: { fields: Object.keys(patch).join(',') } });
      return project;
    },
    activateProject: (_: unknown, args: Args, ctx: AdminContext) => setActive(ctx, parseInput(idSchema, args.id, 'id'), true),
    deactivateProject: (_: unknown, args: Args, ctx: AdminContext) => setActive(ctx, parseInput(idSchema, args.id, 'id'), false),
    deleteProject: async (_: unknown, args: Args, ctx: AdminContext) => {
      const project = await requireProject(ctx, parseInput(idSchema, args.id, 'id'));
      const counts = await deleteChildren(ctx, project.id);
      await ctx.host.store.projects.delete(project.id);
      await recordConfigChange(ctx, { event: 'project.deleted', severity: 'warning', projectId: project.id, target: target(project), metadata: counts });
      return true;
    },
  },
  Project: {
    bindings: (project: ProjectRecord, _: Args, ctx: AdminContext) => ctx.host.store.bindings.find({ projectId: project.id }),
    aliases: (project: ProjectRecord, _: Args, ctx: AdminContext) => ctx.host.store.aliases.find({ projectId: project.id }),
    endpoints: (project: ProjectRecord, _: Args, ctx: AdminContext) => ctx.host.store.endpoints.find({ projectId: project.id }),
    tokens: (project: ProjectRecord, _: Args, ctx: AdminContext) => ctx.host.store.tokens.find({ projectId: project.id }),
    policies: (project: ProjectRecord, _: Args, ctx: AdminContext) => ctx.host.store.policies.find({ projectId: project.id, current: true }),
  },
};
