import { GatewayError, type CanonicalChatRequest, type PolicyRecord, type RedisClient, type RequestContext, type Usage } from '@portcullis/core';
import {
  createFakePluginHost,
  createFakeRequestContext,
  type FakePluginHost,
} from '../../../../core/src/testkit/fake-plugin-host';
import { createRateLimitsPlugin, RATE_LIMITS_PLUGIN_NAME, type RateLimitsService } from '../plugin';
import { rateLimitsPluginConfigSchema } from '../policy-config';

/** One "gateway instance": a rate-limits plugin set up on its own fake host. */
export interface LimiterInstance {
  host: FakePluginHost;
  /** Runs beforeUpstream; resolves with the context (headers etc.) or rejects with the GatewayError. */
  request(request?: CanonicalChatRequest): Promise<RequestContext>;
  /** Runs onLog as the host does after the response, with the usage the upstream reported. */
  finish(ctx: RequestContext, usage: Usage | null): Promise<void>;
  teardown(): Promise<void>;
  /** Status of the plugin's own counters connection ('ready', 'reconnecting', ... or 'memory'). */
  storeStatus(): string;
}

export async function startLimiterInstance(options: {
  policies: PolicyRecord[] | (() => PolicyRecord[]);
  redis?: RedisClient | null;
  redisTimeoutMs?: number;
  now?: () => number;
}): Promise<LimiterInstance> {
  const host = createFakePluginHost({ redis: options.redis ?? null, policies: options.policies });
  const plugin = createRateLimitsPlugin(options.now ? { now: options.now } : {});
  const config = rateLimitsPluginConfigSchema.parse({ redisTimeoutMs: options.redisTimeoutMs ?? 100 });
  const teardown = await plugin.setup?.(host, config);
  const hooks = plugin.hooks;
  if (!hooks?.beforeUpstream || !hooks.onLog) throw new Error('rate-limits plugin lacks hooks');
  const { beforeUpstream, onLog } = hooks;
  return {
    host,
    async request(request) {
      const ctx = createFakeRequestContext(request ? { request } : {});
      await beforeUpstream(ctx);
      return ctx;
    },
    async finish(ctx, usage) {
      if (ctx.llm) ctx.llm.usage = usage;
      await onLog(ctx, { id: ctx.id, at: ctx.startedAtIso, route: 'chat', method: 'POST', status: 200, stream: false, latencyMs: 1 });
    },
    storeStatus() {
      return host.getService<RateLimitsService>(RATE_LIMITS_PLUGIN_NAME)?.sharedStoreStatus() ?? 'not provided';
    },
    async teardown() {
      if (typeof teardown === 'function') await teardown();
    },
  };
}

export type Outcome = { ok: true; ctx: RequestContext } | { ok: false; error: GatewayError };

/** Settles a request into an outcome; anything but a GatewayError fails the test. */
export async function attempt(run: () => Promise<RequestContext>): Promise<Outcome> {
  try {
    return { ok: true, ctx: await run() };
  } catch (error) {
    if (error instanceof GatewayError) return { ok: false, error };
    throw error;
  }
}

export const usage = (inputTokens: number, outputTokens: number): Usage => ({
  inputTokens,
  outputTokens,
  totalTokens: inputTokens + outputTokens,
});

export const chatRequest = (words: number, maxTokens?: number): CanonicalChatRequest => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'word '.repeat(words) }],
  ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
});
