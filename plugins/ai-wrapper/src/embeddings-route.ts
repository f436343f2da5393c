import type { PluginHost, RequestContext, RouteDefinition, RouteIO } from '@portcullis/core';
import { encodeEmbeddings, validateEmbeddingsRequest } from './embeddings';
import { setRoutingHeaders } from './routing-headers';

export function embeddingsRoute(host: PluginHost): RouteDefinition {
  return {
    id: 'ai-wrapper.embeddings',
    method: 'POST',
    path: '/api/:project/v1/embeddings',
    projectTypes: ['ai_wrapper'],
    scope: 'embeddings',
    body: 'json',
    async handle(ctx: RequestContext, io: RouteIO) {
      const request = validateEmbeddingsRequest(ctx.body);
      const result = await host.llm.embeddings(ctx, request);
      setRoutingHeaders(ctx);
      if ('kind' in result) return io.json(result.response.status, result.response.body);
      io.json(200, encodeEmbeddings(result, request.encoding_format ?? 'float'));
    },
  };
}
