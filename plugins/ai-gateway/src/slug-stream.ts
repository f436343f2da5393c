import {
  GatewayError,
  type FinishReason,
  type RouteIO,
  type RequestContext,
  type StreamPart,
} from '@portcullis/core';
import type { CompiledJsonSchema } from './json-schema';
import { checkStructuredAnswer } from './structured-output';
import { toWireUsage } from './wire-usage';

export interface StreamMeta {
  endpoint: { slug: string; version: number };
  outputSchema: CompiledJsonSchema | null;
}

/**
 * The slug stream format (Server-Sent Events, one JSON object per `data:` line):
 *   data: {"delta": "text"}                       zero or more, in order
 *   data: {"done": true, "usage": {...}, "model", "provider", "request_id", "endpoint", "finish_reason"[, "output"]}
 * or, when something fails once the stream has started, a last
 *   data: {"error": {"message", "type", "param", "code"}}
 * With an output schema the deltas are the raw JSON text; the answer is validated at the end
 * and `output` carries the parsed value (no repair retry: the text has already been sent).
 */
export async function writeSlugStream(ctx: RequestContext, io: RouteIO, parts: AsyncIterable<StreamPart>, meta: StreamMeta): Promise<void> {
  const sse = io.startSse();
  let text = '';
  let model: string | null = null;
  let finish: FinishReason | null = null;
  for await (const part of parts) {
    if (part.type === 'text-delta' && part.choice === 0) {
      text += part.text;
      await sse.data(JSON.stringify({ delta: part.text }));
    } else if (part.type === 'response-meta' && part.model) {
      model = part.model;
    } else if (part.type === 'finish' && part.choice === 0) {
      finish = part.reason;
    } else if (part.type === 'error') {
      await sse.data(JSON.stringify({ error: { message: part.error.message, type: 'api_error', param: null, code: part.error.code } }));
      sse.end();
      return;
    }
    // Stop pulling from the upstream once the client is gone.
    if (sse.closed) return;
  }
  let output: unknown;
  if (meta.outputSchema) {
    const check = checkStructuredAnswer(text, meta.outputSchema);
    // Thrown after the SSE head: core sends it in-band as data: {"error": ...} and logs the code.
    if (!check.ok)
      throw new GatewayError('GW_ERR_OUTPUT_SCHEMA_MISMATCH', { message: `The model's answer did not match the endpoint's output schema: ${check.problem}.` });
    output = check.value;
  }
  const done: Record<string, unknown> = {
    done: true,
    ...(meta.outputSchema ? { output } : {}),
    usage: toWireUsage(ctx.llm?.usage),
    model: model ?? ctx.llm?.target?.model ?? null,
    provider: ctx.llm?.target?.provider ?? null,
    request_id: ctx.id,
    endpoint: meta.endpoint,
    finish_reason: finish?.unified ?? null,
  };
  await sse.data(JSON.stringify(done));
  sse.end();
}
