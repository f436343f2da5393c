import { GatewayError, type PluginHost, type RequestContext, type RouteDefinition, type RouteIO } from '@portcullis/core';
import { ChunkEncoder, encodeChatCompletion, validateChatRequest } from '@portcullis/plugin-ai-wrapper';
import type { EndpointCache } from './compiled-endpoint';
import { completeEndpoint } from './complete-endpoint';
import { findActiveEndpoint, useEndpoint } from './endpoint-lookup';
import { resolveEndpointTargets } from './endpoint-targets';
import { endpointChatRequest, variablesFrom } from './openai-shape-request';
import { setRoutingHeaders } from './routing-headers';
import { checkStructuredAnswer } from './structured-output';

/**
 * POST /api/:project/chat/completions — the same endpoints in OpenAI's chat shape, for clients
 * that prefer the OpenAI SDK (baseURL `<gateway>/api/<project>`, model = endpoint slug).
 * The slug arrives in the body, after auth ran, so this route checks the token's endpoint
 * allowlist itself and sets ctx.endpoint before the LLM call (endpoint policies need it).
 */
export function openAiShapeRoute(host: PluginHost, cache: EndpointCache): RouteDefinition {
  return {
    id: 'ai-gateway.chat',
    method: 'POST',
    path: '/api/:project/chat/completions',
    projectTypes: ['ai_gateway'],
    scope: 'chat',
    body: 'json',
    async handle(ctx: RequestContext, io: RouteIO) {
      const client = validateChatRequest(ctx.body);
      const slug = client.model;
      const allowlist = ctx.auth?.token.endpointAllowlist ?? [];
      if (allowlist.length > 0 && !allowlist.includes(slug)) throw new GatewayError('GW_ERR_AUTH_ENDPOINT_DENIED', { param: 'model' });
      const record = findActiveEndpoint(ctx, slug, 'model');
      useEndpoint(ctx, record);
      const endpoint = cache.get(record);
      if (client.stream === true && !endpoint.config.stream)
        throw new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'stream', message: 'This endpoint does not allow streaming; send "stream": false.' });
      const targets = resolveEndpointTargets(endpoint.config, ctx.snapshot, ctx.project!.id, (id) => host.llm.adapterFor(id) !== undefined);
      const request = endpointChatRequest(endpoint, slug, targets.model, client, variablesFrom(ctx.body));
      const fallbackId = `chatcmpl-${ctx.id.replace(/^req_/, '')}`;

      if (request.stream !== true) {
        const result = await completeEndpoint(host, ctx, request, targets.options, endpoint.outputSchema);
        setRoutingHeaders(ctx);
        if (result.kind === 'early') return io.json(result.response.status, result.response.body);
        return io.json(200, encodeChatCompletion(result.response, fallbackId));
      }

      const result = await host.llm.chat(ctx, request, targets.options);
      setRoutingHeaders(ctx);
      if (result.kind === 'early') return io.json(result.response.status, result.response.body);
      if (result.kind === 'response') throw new GatewayError('GW_ERR_INTERNAL', { message: 'The upstream answered a streaming call without a stream.' });
      const encoder = new ChunkEncoder(
        { id: fallbackId, model: ctx.llm?.target?.model ?? slug, created: Math.floor(Date.now() / 1000) },
        ctx.llm?.clientWantsUsage ?? false,
      );
      const sse = io.startSse();
      let text = '';
      stream: for await (const batch of result.batches) {
        for (const part of batch) {
          if (part.type === 'text-delta' && part.choice === 0) text += part.text;
          for (const payload of encoder.encode(part)) {
            const full = sse.data(payload);
            if (full) await full;
          }
          if (sse.closed || encoder.errored) break stream;
        }
      }
      if (encoder.errored || sse.closed) return sse.end();
      if (endpoint.outputSchema) {
        const check = checkStructuredAnswer(text, endpoint.outputSchema);
        // Thrown after the SSE head: core sends it in-band and the stream ends without [DONE].
        if (!check.ok)
          throw new GatewayError('GW_ERR_OUTPUT_SCHEMA_MISMATCH', { message: `The model's answer did not match the endpoint's output schema: ${check.problem}.` });
      }
      for (const payload of encoder.finish()) await sse.data(payload);
      await sse.data('[DONE]');
      sse.end();
    },
  };
}
