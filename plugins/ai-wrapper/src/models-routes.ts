import { GatewayError, type PluginHost, type RequestContext, type RouteDefinition, type RouteIO } from '@portcullis/core';

interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: 'portcullis';
  is_alias: boolean;
  target?: string;
}

function modelsOf(host: PluginHost, projectId: string, created: number): ModelEntry[] {
  return host.llm.listModels(projectId).map((m) => ({
    id: m.id,
    object: 'model',
    created,
    owned_by: 'portcullis',
    is_alias: m.isAlias,
    ...(m.target ? { target: m.target } : {}),
  }));
}

export function listModelsRoute(host: PluginHost): RouteDefinition {
  return {
    id: 'ai-wrapper.models',
    method: 'GET',
    path: '/api/:project/v1/models',
    projectTypes: ['ai_wrapper'],
    scope: 'models',
    body: 'none',
    async handle(ctx: RequestContext, io: RouteIO) {
      const created = Math.floor(Date.parse(ctx.project!.createdAt) / 1000);
      io.json(200, { object: 'list', data: modelsOf(host, ctx.project!.id, created) });
    },
  };
}

export function retrieveModelRoute(host: PluginHost): RouteDefinition {
  return {
    id: 'ai-wrapper.model',
    method: 'GET',
    path: '/api/:project/v1/models/*model',
    projectTypes: ['ai_wrapper'],
    scope: 'models',
    body: 'none',
    async handle(ctx: RequestContext, io: RouteIO) {
      const raw = ctx.params['model'] as unknown;
      const id = Array.isArray(raw) ? raw.join('/') : String(raw ?? '');
      const created = Math.floor(Date.parse(ctx.project!.createdAt) / 1000);
      const models = modelsOf(host, ctx.project!.id, created);
      const exact = models.find((m) => m.id === id || `portcullis:${m.id}` === id);
      if (exact) return io.json(200, exact);
      // `provider:model` for an enabled provider is a usable model even though it is not listed one by one.
      const provider = /^([A-Za-z0-9_-]+)[:/](.+)$/.exec(id);
      if (provider && models.some((m) => m.id === `${provider[1]}:*`))
        return io.json(200, { id, object: 'model', created, owned_by: 'portcullis', is_alias: false });
      throw new GatewayError('GW_ERR_MODEL_NOT_FOUND', { param: 'model', message: `The model \`${id}\` does not exist in this project.` });
    },
  };
}
