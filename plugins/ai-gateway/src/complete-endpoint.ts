import {
  GatewayError,
  type CanonicalChatRequest,
  type CanonicalChatResponse,
  type EarlyResponse,
  type LlmCallOptions,
  type PluginHost,
  type RequestContext,
} from '@portcullis/core';
import { CallTally } from './call-tally';
import type { CompiledJsonSchema } from './json-schema';
import { generateStructured, type ChatCall } from './structured-output';

export type EndpointCompletion =
  | { kind: 'response'; response: CanonicalChatResponse; /** Parsed JSON when the endpoint has an output schema. */ output?: unknown }
  | { kind: 'early'; response: EarlyResponse };

/**
 * One non-streaming answer for an endpoint: a single call, or with an output schema the
 * structured flow (validation plus one repair retry). Usage and cost of every call made are
 * summed onto ctx.llm, whatever the outcome.
 */
export async function completeEndpoint(
  host: PluginHost,
  ctx: RequestContext,
  request: CanonicalChatRequest,
  options: LlmCallOptions,
  outputSchema: CompiledJsonSchema | null,
): Promise<EndpointCompletion> {
  const tally = new CallTally();
  const call: ChatCall = async (req) => {
    let result;
    try {
      result = await host.llm.chat(ctx, { ...req, stream: false }, options);
    } finally {
      // Also when the call failed: its attempts (and any usage) still count.
      tally.record(ctx.llm);
    }
    if (result.kind === 'early') return result;
    if (result.kind === 'stream') throw new GatewayError('GW_ERR_INTERNAL', { message: 'The upstream answered a non-streaming call with a stream.' });
    return result;
  };
  try {
    if (!outputSchema) return await call(request);
    const outcome = await generateStructured(call, request, outputSchema);
    if (outcome.kind === 'early') return outcome;
    if (outcome.repaired) ctx.logAnnotations.metadata['outputRepaired'] = 'true';
    return { kind: 'response', response: outcome.response, output: outcome.value };
  } finally {
    tally.applyTo(ctx.llm);
  }
}
