import type { CanonicalChatResponse } from '../spec/chat';
import type { EarlyResponse, RequestContext } from '../spec/plugin';
import type { RequestLogRecord } from '../spec/store';
import type { StreamPart } from '../spec/stream';
import type { GatewayError } from '../errors/gateway-error';
import type { HookTable } from './plugin-registry';

/** Runs onRequest or beforeUpstream hooks in order; the first early response wins. */
export async function runGateHooks(
  hooks: HookTable['onRequest'] | HookTable['beforeUpstream'],
  ctx: RequestContext,
): Promise<EarlyResponse | null> {
  for (const hook of hooks) {
    const outcome = await hook.fn(ctx);
    if (outcome && 'respond' in outcome) return outcome.respond;
  }
  return null;
}

/**
 * Passes one part through every onChunk hook. Each hook sees the output of the previous one,
 * so a guardrail that masks text hands masked text to the next plugin.
 */
export function applyChunkHooks(hooks: HookTable['onChunk'], ctx: RequestContext, part: StreamPart): StreamPart[] {
  let parts: StreamPart[] = [part];
  for (const hook of hooks) {
    const next: StreamPart[] = [];
    for (const p of parts) {
      const outcome = hook.fn(ctx, p);
      if (outcome === undefined) next.push(p);
      else if (outcome === null) continue;
      else if (Array.isArray(outcome)) next.push(...outcome);
      else next.push(outcome as StreamPart);
    }
    parts = next;
    if (parts.length === 0) break;
  }
  return parts;
}

/**
 * End of stream: each hook's flushed parts still pass through the onChunk hooks of the plugins
 * after it in priority order (a guardrail's held-back text reaches the plugins that run later).
 */
export function applyStreamEndHooks(table: HookTable, ctx: RequestContext): StreamPart[] {
  const out: StreamPart[] = [];
  for (const hook of table.onStreamEnd) {
    const flushed = hook.fn(ctx) ?? [];
    if (flushed.length === 0) continue;
    const later = table.onChunk.filter((h) => h.order > hook.order);
    for (const part of flushed) out.push(...(later.length > 0 ? applyChunkHooks(later, ctx, part) : [part]));
  }
  return out;
}

export async function applyResponseHooks(
  hooks: HookTable['onResponse'],
  ctx: RequestContext,
  response: CanonicalChatResponse,
): Promise<CanonicalChatResponse> {
  let current = response;
  for (const hook of hooks) current = (await hook.fn(ctx, current)) ?? current;
  return current;
}

/** onLog hooks never fail the request: a broken hook is logged and the others still run. */
export async function runLogHooks(hooks: HookTable['onLog'], ctx: RequestContext, record: RequestLogRecord): Promise<void> {
  for (const hook of hooks) {
    try {
      await hook.fn(ctx, record);
    } catch (err) {
      ctx.logger.error({ err, plugin: hook.name }, 'onLog hook failed');
    }
  }
}

export function runErrorHooks(hooks: HookTable['onError'], ctx: RequestContext, error: GatewayError): void {
  for (const hook of hooks) {
    try {
      hook.fn(ctx, error);
    } catch (err) {
      ctx.logger.error({ err, plugin: hook.name }, 'onError hook failed');
    }
  }
}
