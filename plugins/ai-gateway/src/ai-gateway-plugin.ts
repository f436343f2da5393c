import { definePlugin, endpointValidatorService, type ConfigValidator } from '@portcullis/core';
import { z } from 'zod';
import { EndpointCache } from './compiled-endpoint';
import { openAiShapeRoute } from './openai-shape-route';
import { slugRoute } from './slug-route';
import { validateEndpointConfig } from './validate-endpoint-config';

export const aiGatewayConfigSchema = z.object({}).strict();

/** Slug endpoints of `ai_gateway` projects: `/api/<project>/<slug>` and the OpenAI-shape twin. */
export function createAiGatewayPlugin() {
  return definePlugin<z.infer<typeof aiGatewayConfigSchema>>({
    name: 'ai-gateway',
    apiVersion: 1,
    priority: 0,
    configSchema: aiGatewayConfigSchema,
    dependsOn: ['auth'],
    setup(host) {
      // Per plugin instance: two gateways in one process never share compiled endpoints.
      const cache = new EndpointCache(host.logger);
      host.registerRoute(openAiShapeRoute(host, cache));
      host.registerRoute(slugRoute(host, cache));
      host.provide<ConfigValidator>(endpointValidatorService('ai_gateway'), (config) => {
        const result = validateEndpointConfig(config);
        return result.ok ? { ok: true } : { ok: false, issues: result.issues };
      });
    },
    hooks: {
      onLog(ctx, record) {
        // The OpenAI-shape route learns its endpoint from the body, after core filled route info.
        if (ctx.route.id.startsWith('ai-gateway.') && !record.endpoint && ctx.endpoint) record.endpoint = ctx.endpoint.slug;
      },
    },
  });
}
