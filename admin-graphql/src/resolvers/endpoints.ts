import { endpointValidatorService } from '@portcullis/core';
import { checkOwnedConfig } from '../owned-config';
import { z } from 'zod';
import type { EndpointRecord } from '@portcullis/core';
import { recordConfigChange } from '../change-log';
import type { AdminContext } from '../context';
import { badInput } from '../errors';
import { idSchema, jsonObjectSchema, parseInput } from '../validation';
import { requireEndpoint, requireProject, updated } from './lookups';
import type { Args } from './types';

const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and - (at most 63)');

const createSchema = z.object({ projectId: idSchema, slug: slugSchema, config: jsonObjectSchema, active: z.boolean().default(true) });
const updateSchema = z.object({ config: jsonObjectSchema.nullish(), active: z.boolean().nullish() });

const target = (endpoint: EndpointRecord) => ({ type: 'endpoint', id: endpoint.id, name: endpoint.slug });

/**
 * The version row is written first: its unique (endpointId, version) key makes a concurrent
 * update of the same endpoint fail with CONFLICT instead of both claiming one version number.
 */
async function writeVersion(ctx: AdminContext, endpoint: Pick<EndpointRecord, 'id' | 'projectId'>, version: number, config: Record<string, unknown>) {
  await ctx.host.store.endpointVersions.create({ endpointId: endpoint.id, projectId: endpoint.projectId, version, config });
}

export const endpointResolvers = {
  Mutation: {
    createEndpoint: async (_: unknown, args: Args, ctx: AdminContext) => {
      const input = parseInput(createSchema, args.input);
      const project = await requireProject(ctx, input.projectId);
      if (project.type === 'ai_wrapper') throw badInput('projectId', 'endpoints belong to AI_GATEWAY and API_PROXY projects');
      checkOwnedConfig(ctx, endpointValidatorService(project.type), input.config);
      const endpoint = await ctx.host.store.endpoints.create({ projectId: project.id, slug: input.slug, version: 1, active: input.active, config: input.config });
      await writeVersion(ctx, endpoint, 1, endpoint.config);
      await recordConfigChange(ctx, { event: 'endpoint.created', projectId: project.id, target: target(endpoint), metadata: { version: 1 } });
      return endpoint;
    },
    updateEndpoint: async (_: unknown, args: Args, ctx: AdminContext) => {
      const id = parseInput(idSchema, args.id, 'id');
      const input = parseInput(updateSchema, args.input);
      if (input.config == null && input.active == null) throw badInput('input', 'nothing to update');
      const current = await requireEndpoint(ctx, id);
      if (input.config != null) {
        const project = await requireProject(ctx, current.projectId);
        checkOwnedConfig(ctx, endpointValidatorService(project.type), input.config);
      }
      const version = current.version + 1;
      const config = input.config ?? current.config;
      await writeVersion(ctx, current, version, config);
      const endpoint = updated(await ctx.host.store.endpoints.update(id, { version, config, active: input.active ?? current.active }), 'endpoint', id);
      await recordConfigChange(ctx, { event: 'endpoint.updated', projectId: endpoint.projectId, target: target(endpoint), metadata: { version, active: endpoint.active } });
      return endpoint;
    },
    deleteEndpoint: async (_: unknown, args: Args, ctx: AdminContext) => {
      const endpoint = await requireEndpoint(ctx, parseInput(idSchema, args.id, 'id'));
      // Version rows stay: request logs name `endpoint:<version>` and audits need to read them.
      await ctx.host.store.endpoints.delete(endpoint.id);
      await recordConfigChange(ctx, { event: 'endpoint.deleted', severity: 'warning', projectId: endpoint.projectId, target: target(endpoint), metadata: { version: endpoint.version } });
      return true;
    },
  },
  Endpoint: {
    versions: async (endpoint: EndpointRecord, _: Args, ctx: AdminContext) =>
      (await ctx.host.store.endpointVersions.find({ endpointId: endpoint.id })).sort((a, b) => b.version - a.version),
  },
};
