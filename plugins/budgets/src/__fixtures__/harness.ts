import { GatewayError, type CanonicalChatRequest, type GuardedPost, type PolicyRecord, type RedisClient, type RequestContext, type Usage } from '@portcullis/core';
import { createPriceTable } from '../../../../core/src/pricing';
import { createFakePluginHost, createFakeRequestContext, fakePolicy, type FakePluginHost } from '../../../../core/src/testkit/fake-plugin-host';
import { BUDGETS_PLUGIN_NAME, createBudgetsPlugin, type BudgetsService } from '../plugin';
import { budgetsPluginConfigSchema } from '../policy-config';

/** $1 per 1M input tokens and $2 per 1M output tokens: easy arithmetic in tests. */
export const TEST_PRICES = createPriceTable({ 'openai:test-model': { inputPerMTok: 1, outputPerMTok: 2 } });

export interface BudgetInstance {
  host: FakePluginHost;
  request(request?: CanonicalChatRequest, model?: string): Promise<RequestContext>;
  /** As the host does after the response: usage, cost from the price table, then onLog. */
  finish(ctx: RequestContext, usage: Usage | null, costOverride?: number | null): Promise<void>;
  service(): BudgetsService;
  teardown(): Promise<void>;
}

export async function startBudgetInstance(options: {
  policies: PolicyRecord[] | (() => PolicyRecord[]);
  redis?: RedisClient | null;
  now?: () => number;
  post?: GuardedPost;
  redisTimeoutMs?: number;
}): Promise<BudgetInstance> {
  const host = createFakePluginHost({ redis: options.redis ?? null, policies: options.policies, prices: TEST_PRICES });
  const plugin = createBudgetsPlugin({ ...(options.now ? { now: options.now } : {}), ...(options.post ? { post: options.post } : {}) });
  const config = budgetsPluginConfigSchema.parse({
    redisTimeoutMs: options.redisTimeoutMs ?? 100,
    webhook: { maxAttempts: 3, baseDelayMs: 5, timeoutMs: 1000 },
  });
  const teardown = await plugin.setup?.(host, config);
  const hooks = plugin.hooks;
  if (!hooks?.beforeUpstream || !hooks.onLog) throw new Error('budgets plugin lacks hooks');
  const { beforeUpstream, onLog } = hooks;
  const service = () => {
    const s = host.getService<BudgetsService>(BUDGETS_PLUGIN_NAME);
    if (!s) throw new Error('budgets service not provided');
    return s;
  };
  return {
    host,
    service,
    async request(request, model = 'test-model') {
      const ctx = createFakeRequestContext({ request: request ?? chatRequest(10, 100, model) });
      await beforeUpstream(ctx);
      return ctx;
    },
    async finish(ctx, usage, costOverride) {
      if (ctx.llm) {
        ctx.llm.usage = usage;
        const target = ctx.llm.target;
        ctx.llm.costUsd =
          costOverride !== undefined ? costOverride : usage && target ? TEST_PRICES.cost(target.provider, target.model, usage) : null;
      }
      await onLog(ctx, { id: ctx.id, at: ctx.startedAtIso, route: 'chat', method: 'POST', status: 200, stream: false, latencyMs: 1 });
    },
    async teardown() {
      if (typeof teardown === 'function') await teardown();
    },
  };
}

export const budget = (config: Record<string, unknown>, over: Partial<PolicyRecord> = {}) =>
  fakePolicy('budget', config, { level: 'project', projectId: 'proj_1', ...over });

export const chatRequest = (words: number, maxTokens: number, model = 'test-model'): CanonicalChatRequest => ({
  model,
  messages: [{ role: 'user', content: 'word '.repeat(words) }],
  max_tokens: maxTokens,
});

export const usage = (inputTokens: number, outputTokens: number): Usage => ({ inputTokens, outputTokens, totalTokens: inputTokens + outputTokens });

export type Outcome = { ok: true; ctx: RequestContext } | { ok: false; error: GatewayError };

export async function attempt(run: () => Promise<RequestContext>): Promise<Outcome> {
  try {
    return { ok: true, ctx: await run() };
  } catch (error) {
    if (error instanceof GatewayError) return { ok: false, error };
    throw error;
  }
}
