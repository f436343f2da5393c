import type { PluginHost, RequestContext, RouteDefinition, RouteIO } from '@portcullis/core';
import { ChunkEncoder } from './chunk-encoder';
import { encodeChatCompletion } from './encode-response';
import { setRoutingHeaders } from './routing-headers';
import { validateChatRequest } from './validate-chat';

/** POST /api/:project/v1/chat/completions — JSON or SSE, any provider behind. */
export function chatCompletionsRoute(host: PluginHost): RouteDefinition {
  return {
    id: 'ai-wrapper.chat',
    method: 'POST',
    path: '/api/:project/v1/chat/completions',
    projectTypes: ['ai_wrapper'],
    scope: 'chat',
    body: 'json',
    async handle(ctx: RequestContext, io: RouteIO) {
      const request = validateChatRequest(ctx.body);
      const result = await host.llm.chat(ctx, request);
      setRoutingHeaders(ctx);
      if (result.kind === 'early') return io.json(result.response.status, result.response.body);
      const fallbackId = `chatcmpl-${ctx.id.replace(/^req_/, '')}`;
      if (result.kind === 'response') return io.json(200, encodeChatCompletion(result.response, fallbackId));

      const encoder = new ChunkEncoder(
        { id: fallbackId, model: ctx.llm?.target?.model ?? request.model, created: Math.floor(Date.now() / 1000) },
        ctx.llm?.clientWantsUsage ?? false,
      );
      const sse = io.startSse();
      // A batch per upstream read; awaiting only when the writer reports back-pressure.
      stream: for await (const batch of result.batches) {
        for (const part of batch) {
          for (const payload of encoder.encode(part)) {
            const full = sse.data(payload);
            if (full) await full;
          }
          // Stop pulling from the upstream once the client is gone or the stream failed.
          if (sse.closed || encoder.errored) break stream;
        }
      }
      if (!encoder.errored) {
        for (const payload of encoder.finish()) await sse.data(payload);
        await sse.data('[DONE]');
      }
      sse.end();
    },
  };
}
