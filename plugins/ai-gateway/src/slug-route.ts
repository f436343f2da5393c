import { GatewayError, type PluginHost, type RequestContext, type RouteDefinition, type RouteIO } from '@portcullis/core';
import { buildChatRequest } from './build-chat-request';
import type { EndpointCache } from './compiled-endpoint';
import { completeEndpoint } from './complete-endpoint';
import { resolveEndpointTargets } from './endpoint-targets';
import { findActiveEndpoint, useEndpoint } from './endpoint-lookup';
import { renderPrompt } from './render-prompt';
import { setRoutingHeaders } from './routing-headers';
import { parseSlugRequest } from './slug-request';
import { writeSlugStream } from './slug-stream';
import { toWireUsage } from './wire-usage';

/**
 * POST /api/:project/:slug — one endpoint, one prompt. Core resolves ctx.endpoint from the slug
 * before auth runs, so the token's endpoint allowlist and endpoint-level policies apply.
 */
export function slugRoute(host: PluginHost, cache: EndpointCache): RouteDefinition {
  return {
    id: 'ai-gateway.endpoint',
    method: 'POST',
    path: '/api/:project/:slug',
    projectTypes: ['ai_gateway'],
    scope: 'chat',
    body: 'json',
    slugParam: 'slug',
    async handle(ctx: RequestContext, io: RouteIO) {
      const slug = ctx.params['slug'] ?? '';
      const record = findActiveEndpoint(ctx, slug);
      useEndpoint(ctx, record);
      const endpoint = cache.get(record);
      const body = parseSlugRequest(ctx.body);
      if (body.stream && !endpoint.config.stream)
        throw new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'stream', message: 'This endpoint does not allow streaming; send "stream": false.' });
      const prompt = renderPrompt(endpoint, body.input, body.variables);
      const targets = resolveEndpointTargets(endpoint.config, ctx.snapshot, ctx.project!.id, (id) => host.llm.adapterFor(id) !== undefined);
      const request = buildChatRequest(endpoint, slug, targets.model, prompt, body.stream);
      const meta = { slug, version: record.version };

      if (body.stream) {
        const result = await host.llm.chat(ctx, request, targets.options);
        setRoutingHeaders(ctx);
        if (result.kind === 'early') return io.json(result.response.status, result.response.body);
        if (result.kind === 'response') throw new GatewayError('GW_ERR_INTERNAL', { message: 'The upstream answered a streaming call without a stream.' });
        return writeSlugStream(ctx, io, result.parts, { endpoint: meta, outputSchema: endpoint.outputSchema });
      }

      const result = await completeEndpoint(host, ctx, request, targets.options, endpoint.outputSchema);
      setRoutingHeaders(ctx);
      if (result.kind === 'early') return io.json(result.response.status, result.response.body);
      const output = endpoint.outputSchema ? result.output : (result.response.choices[0]?.message.content ?? '');
      io.json(200, {
        output,
        usage: toWireUsage(ctx.llm?.usage),
        model: result.response.model,
        provider: ctx.llm?.target?.provider ?? null,
        request_id: ctx.id,
        endpoint: meta,
      });
    },
  };
}
