import {
  createStateKey,
  definePlugin,
  GatewayError,
  GuardedPoster,
  PLUGIN_API_VERSION,
  policyValidatorService,
  SsrfGuard,
  zodConfigValidator,
  type GatewayPlugin,
  type GuardedPost,
  type PluginHost,
  type PolicyRecord,
  type RequestContext,
} from '@portcullis/core';
import { closeQuietly, inputTokensOf, maxOutputTokensOf, openFailFastRedis, settleWithin, TIMED_OUT, TokenCountCache, waitUntilReady } from '@portcullis/plugin-rate-limits';
import type { BudgetLedger, ThresholdMark } from './ledger';
import { MemoryBudgetLedger } from './memory-ledger';
import { costToMicro, estimateToMicro, MICRO_PER_USD, microToUsd } from './micro-usd';
import { budgetPolicyConfigSchema, budgetPolicyValidationSchema, budgetsPluginConfigSchema, type BudgetPolicyConfig, type BudgetsPluginConfig } from './policy-config';
import { RedisBudgetLedger } from './redis-ledger';
import { WebhookSender } from './webhook';
import { WINDOW_TTL_SECONDS, WindowClock } from './window-key';

export const BUDGETS_PLUGIN_NAME = 'budgets';
export const THRESHOLD_EVENT = 'budget.threshold_reached';

const CONNECT_WAIT_MS = 2_000;

/** A reservation held for one policy until the request's real cost is known. */
interface Reservation {
  policy: PolicyRecord;
  config: BudgetPolicyConfig;
  windowKey: string;
  ledgerKey: string;
  /** Micro-dollars reserved (0 when the ledger was unreachable and the policy fails open). */
  reservedMicro: number;
  provider: string;
  model: string;
}

const RESERVATIONS = createStateKey<Reservation[]>('budgets:reservations');

export interface BudgetsPluginOptions {
  /** Clock for tests (window keys, thresholds); defaults to Date.now. */
  now?: () => number;
  /**
   * Delivers webhooks (tests record instead). Default: core's GuardedPoster with the plugin's
   * `webhook.ssrfAllow`. A replacement still gets every URL checked by that guard first.
   */
  post?: GuardedPost;
}

/** Published with host.provide(BUDGETS_PLUGIN_NAME, ...). */
export interface BudgetsService {
  ledgerStatus(): string;
  /** Waits for queued webhook deliveries (tests, graceful shutdown). */
  drainWebhooks(): Promise<void>;
}

interface Runtime {
  host: PluginHost;
  config: BudgetsPluginConfig;
  ledger: BudgetLedger;
  ledgerReady: () => boolean;
  /** The in-memory ledger answers in this process and cannot hang: no deadline timer needed. */
  ledgerIsLocal: boolean;
  clock: WindowClock;
  webhooks: WebhookSender;
  /** Audit notes already written (unknown price / cost), to write each once per runtime. */
  noted: Set<string>;
  /** Parsed configs by policy record: snapshot records are immutable (a change is a new record). */
  parsed: WeakMap<PolicyRecord, BudgetPolicyConfig>;
  /**
   * Token counts of recently seen text. When rate-limits runs too it counts first and the request
   * state carries its result; without it, budgets would tokenize every resent history itself.
   */
  tokenCounts: TokenCountCache;
}

/**
 * Creates an independent budgets plugin; its ledger, clock and webhook queue belong to the one
 * host that sets it up (hooks receive no host, so one instance cannot serve two gateways).
 */
export function createBudgetsPlugin(options: BudgetsPluginOptions = {}): GatewayPlugin<BudgetsPluginConfig> {
  const now = options.now ?? Date.now;
  let runtime: Runtime | null = null;

  const requireRuntime = (): Runtime => {
    if (!runtime) throw new GatewayError('GW_ERR_INTERNAL', { cause: new Error('budgets hook ran before setup') });
    return runtime;
  };

  /** Runs a ledger call within the deadline; null when the ledger could not answer. */
  const bounded = async <T>(rt: Runtime, work: () => Promise<T>): Promise<T | null> => {
    if (!rt.ledgerReady()) return null;
    if (rt.ledgerIsLocal) return work().catch(() => null);
    const settled = await settleWithin(work(), rt.config.redisTimeoutMs);
    if (settled === TIMED_OUT || !settled.ok) return null;
    return settled.value;
  };

  const noteOnce = (rt: Runtime, key: string, event: string, policy: PolicyRecord, metadata: Record<string, string | number | null>) => {
    if (rt.noted.has(key)) return;
    rt.noted.add(key);
    rt.host.audit.record({
      event,
      severity: 'warning',
      actor: { type: 'system' },
      projectId: policy.projectId ?? null,
      target: { type: 'budget_policy', id: policy.id },
      metadata: { policyVersion: policy.version, level: policy.level, ...metadata },
    });
  };

  const parsePolicy = (rt: Runtime, policy: PolicyRecord): BudgetPolicyConfig => {
    // Validated once per policy version, not per request: zod parsing is not free on the hot path.
    const known = rt.parsed.get(policy);
    if (known) return known;
    const parsed = budgetPolicyConfigSchema.safeParse(policy.config);
    if (parsed.success) {
      rt.parsed.set(policy, parsed.data);
      return parsed.data;
    }
    const problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    if (!rt.noted.has(`invalid:${policy.id}:${policy.version}`)) {
      rt.noted.add(`invalid:${policy.id}:${policy.version}`);
      rt.host.logger.error({ policyId: policy.id, version: policy.version, problem }, 'invalid budget policy; failing closed');
    }
    // A cap that cannot be read must not silently stop capping.
    throw new GatewayError('GW_ERR_LIMITER_UNAVAILABLE', {
      message: 'The budget service is unavailable and this policy fails closed.',
      details: { policyId: policy.id, problem },
    });
  };

  const thresholdMarks = (config: BudgetPolicyConfig): ThresholdMark[] => {
    const capMicro = Math.round(config.capUsd * MICRO_PER_USD);
    return config.thresholds.map((t) => ({ label: String(t), atMicro: Math.ceil(capMicro * t) }));
  };

  const announce = (rt: Runtime, r: Reservation, label: string, spentMicro: number) => {
    const threshold = Number(label);
    const metadata = {
      threshold,
      capUsd: r.config.capUsd,
      spentUsd: microToUsd(spentMicro),
      window: r.config.window,
      windowKey: r.windowKey,
      timeZone: r.config.timeZone,
      level: r.policy.level,
      targetId: r.policy.targetId ?? null,
      policyVersion: r.policy.version,
    };
    rt.host.audit.record({
      event: THRESHOLD_EVENT,
      severity: threshold >= 1 ? 'critical' : 'warning',
      actor: { type: 'system' },
      projectId: r.policy.projectId ?? null,
      target: { type: 'budget_policy', id: r.policy.id },
      metadata,
    });
    if (r.config.webhook) {
      rt.webhooks.send(r.config.webhook.url, r.config.webhook.secret, THRESHOLD_EVENT, {
        policyId: r.policy.id,
        projectId: r.policy.projectId ?? null,
        ...metadata,
      });
    }
  };

  const release = async (rt: Runtime, reservations: readonly Reservation[]) => {
    await Promise.all(
      reservations.map((r) => bounded(rt, () => rt.ledger.commit(r.ledgerKey, r.reservedMicro, 0, WINDOW_TTL_SECONDS[r.config.window], []))),
    );
  };

  return definePlugin<BudgetsPluginConfig>({
    name: BUDGETS_PLUGIN_NAME,
    apiVersion: PLUGIN_API_VERSION,
    priority: 650,
    dependsOn: ['auth'],
    configSchema: budgetsPluginConfigSchema,

    async setup(host, config) {
      const ssrfGuard = new SsrfGuard({ allow: config.webhook.ssrfAllow });
      host.provide(policyValidatorService('budget'), zodConfigValidator(budgetPolicyValidationSchema(ssrfGuard)));
      if (runtime) throw new Error('this budgets plugin instance is already set up; create one per gateway with createBudgetsPlugin()');
      const redis = host.redis ? openFailFastRedis(host.redis, config.redisTimeoutMs) : null;
      if (redis && !(await waitUntilReady(redis, CONNECT_WAIT_MS))) {
        host.logger.warn({}, 'budgets: Redis not reachable at boot; policies apply their failMode until it is');
      }
      const redisLedger = redis ? new RedisBudgetLedger(redis, config.keyPrefix) : null;
      const injected = options.post;
      const poster = injected ? null : new GuardedPoster(ssrfGuard);
      const post: GuardedPost = injected
        ? async (url, init) => {
            ssrfGuard.assertUrl(url);
            return injected(url, init);
          }
        : poster!.post;
      const { maxAttempts, baseDelayMs, timeoutMs } = config.webhook;
      const webhooks = new WebhookSender({ maxAttempts, baseDelayMs, timeoutMs, logger: host.logger, post });
      runtime = {
        host,
        config,
        ledger: redisLedger ?? new MemoryBudgetLedger(),
        ledgerReady: () => redisLedger?.isReady() ?? true,
        ledgerIsLocal: redisLedger === null,
        clock: new WindowClock(),
        webhooks,
        noted: new Set(),
        parsed: new WeakMap(),
        tokenCounts: new TokenCountCache(),
      };
      host.provide<BudgetsService>(BUDGETS_PLUGIN_NAME, {
        ledgerStatus: () => redis?.status ?? 'memory',
        drainWebhooks: () => webhooks.drain(),
      });
      return async () => {
        runtime = null;
        await webhooks.close();
        await poster?.close();
        if (redis) closeQuietly(redis);
      };
    },

    hooks: {
      async beforeUpstream(ctx) {
        const rt = requireRuntime();
        const llm = ctx.llm;
        if (!llm) return; // budgets price LLM calls only
        const policies = rt.host.config.policiesFor('budget', ctx);
        if (policies.length === 0) return;
        const target = llm.target ?? llm.targets[0] ?? null;
        const provider = target?.provider ?? 'unknown';
        const model = target?.model ?? llm.requestedModel;
        const at = new Date(now());

        const planned = policies.map((policy) => {
          const config = parsePolicy(rt, policy);
          ctx.logAnnotations.versions[`budget:${policy.id}`] = policy.version;
          return { policy, config, estimateMicro: estimateMicroFor(rt, ctx, config, provider, model, policy) };
        });

        const reservations: Reservation[] = [];
        let refusal: GatewayError | null = null;
        await Promise.all(
          planned.map(async ({ policy, config, estimateMicro }) => {
            const windowKey = rt.clock.keyFor(config.window, config.timeZone, at);
            const ledgerKey = `${policy.id}:v${policy.version}:${windowKey}`;
            const capMicro = Math.round(config.capUsd * MICRO_PER_USD);
            const result = await bounded(rt, () => rt.ledger.reserve(ledgerKey, estimateMicro, capMicro, WINDOW_TTL_SECONDS[config.window]));
            const base = { policy, config, windowKey, ledgerKey, provider, model };
            if (result === null) {
              if (config.failMode === 'closed') {
                refusal ??= new GatewayError('GW_ERR_LIMITER_UNAVAILABLE', { message: 'The budget service is unavailable and this policy fails closed.' });
                return;
              }
              rt.host.logger.warn({ policyId: policy.id, requestId: ctx.id }, 'budget ledger unavailable; serving without a reservation (failMode open)');
              reservations.push({ ...base, reservedMicro: 0 });
              return;
            }
            if (!result.admitted) {
              refusal = new GatewayError('GW_ERR_BUDGET_EXCEEDED', {
                details: { policyId: policy.id, window: windowKey, spentUsd: microToUsd(result.spent), capUsd: config.capUsd },
              });
              return;
            }
            reservations.push({ ...base, reservedMicro: estimateMicro });
          }),
        );
        if (refusal) {
          await release(rt, reservations);
          throw refusal;
        }
        ctx.state.set(RESERVATIONS, reservations);
      },

      async onLog(ctx) {
        const reservations = ctx.state.get(RESERVATIONS);
        if (!reservations || reservations.length === 0) return;
        ctx.state.set(RESERVATIONS, []); // commit once
        const rt = requireRuntime();
        const costUsd = ctx.llm?.costUsd ?? null;
        const usage = ctx.llm?.usage ?? null;
        const provider = ctx.llm?.target?.provider ?? reservations[0]?.provider ?? 'unknown';
        const model = ctx.llm?.target?.model ?? reservations[0]?.model ?? 'unknown';
        const actualMicro = costUsd === null ? 0 : costToMicro(costUsd);
        await Promise.all(
          reservations.map(async (r) => {
            if (costUsd === null && usage !== null) {
              noteOnce(rt, `cost:${r.policy.id}:${provider}:${model}`, 'budget.cost_unknown', r.policy, { provider, model });
            }
            const marks = actualMicro > 0 ? thresholdMarks(r.config) : [];
            const result = await bounded(rt, () => rt.ledger.commit(r.ledgerKey, r.reservedMicro, actualMicro, WINDOW_TTL_SECONDS[r.config.window], marks));
            if (result === null) {
              rt.host.logger.warn({ policyId: r.policy.id, requestId: ctx.id, costUsd }, 'budget ledger unavailable; spend not recorded');
              return;
            }
            for (const label of result.crossed) announce(rt, r, label, result.spent);
          }),
        );
      },
    },
  });

  function estimateMicroFor(rt: Runtime, ctx: RequestContext, config: BudgetPolicyConfig, provider: string, model: string, policy: PolicyRecord): number {
    const inputTokens = inputTokensOf(ctx, rt.tokenCounts.count);
    const outputTokens = maxOutputTokensOf(ctx, config.defaultMaxTokens);
    const usd = rt.host.prices.cost(provider, model, { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens });
    if (usd !== null) return estimateToMicro(usd);
    if (config.unknownPrice === 'block') {
      throw new GatewayError('GW_ERR_BUDGET_EXCEEDED', {
        message: 'This budget does not allow models without a known price.',
        details: { policyId: policy.id, provider, model },
      });
    }
    noteOnce(rt, `price:${policy.id}:${provider}:${model}`, 'budget.price_unknown', policy, { provider, model });
    return 0;
  }
}
