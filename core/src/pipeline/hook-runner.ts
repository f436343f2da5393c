import type { CanonicalChatResponse } from '../spec/chat';
import type { EarlyResponse, RequestContext } from '../spec/plugin';
import type { RequestLogRecord } from '../spec/store';
import type { StreamPart } from '../spec/stream';
import type { GatewayError } from '../errors/gateway-error';
import type { HookTable } from './plugin-registry';

/**
 * A hook may answer synchronously; only a real promise is awaited. Awaiting a plain value still
 * costs a microtask turn, and these loops run several hooks on every request.
 */
const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof value === 'object' && value !== null && typeof (value as PromiseLike<T>).then === 'function';

/** Runs onRequest or beforeUpstream hooks in order; the first early response wins. */
export async function runGateHooks(
  hooks: HookTable['onRequest'] | HookTable['beforeUpstream'],
  ctx: RequestContext,
): Promise<EarlyResponse | null> {
  for (const hook of hooks) {
    const returned = hook.fn(ctx);
    const outcome = isPromiseLike(returned) ? await returned : returned;
    if (outcome && 'respond' in outcome) return outcome.respond;
  }
  return null;
}

/**
 * Passes a batch of parts (one upstream read) through every chunk hook. Each hook sees the
 * output of the previous one, so a guardrail that masks text hands masked text to the next plugin.
 */
export function applyChunkHooks(hooks: HookTable['onChunk'], ctx: RequestContext, parts: StreamPart[]): StreamPart[] {
  let current = parts;
  for (const hook of hooks) {
    if (current.length === 0) break;
    current = hook.fn(ctx, current);
  }
  return current;
}

/**
 * End of stream: each hook's flushed parts still pass through the chunk hooks of the plugins
 * after it in priority order (a guardrail's held-back text reaches the plugins that run later).
 */
export function applyStreamEndHooks(table: HookTable, ctx: RequestContext): StreamPart[] {
  const out: StreamPart[] = [];
  for (const hook of table.onStreamEnd) {
    const flushed = hook.fn(ctx) ?? [];
    if (flushed.length === 0) continue;
    const later = table.onChunk.filter((h) => h.order > hook.order);
    for (const part of later.length > 0 ? applyChunkHooks(later, ctx, flushed) : flushed) out.push(part);
  }
  return out;
}

export async function applyResponseHooks(
  hooks: HookTable['onResponse'],
  ctx: RequestContext,
  response: CanonicalChatResponse,
): Promise<CanonicalChatResponse> {
  let current = response;
  for (const hook of hooks) {
    const returned = hook.fn(ctx, current);
    current = (isPromiseLike(returned) ? await returned : returned) ?? current;
  }
  return current;
}

/** onLog hooks never fail the request: a broken hook is logged and the others still run. */
export async function runLogHooks(hooks: HookTable['onLog'], ctx: RequestContext, record: RequestLogRecord): Promise<void> {
  for (const hook of hooks) {
    try {
      const returned = hook.fn(ctx, record);
      if (isPromiseLike(returned)) await returned;
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
