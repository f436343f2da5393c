import { createStateKey, definePlugin, GatewayError, PLUGIN_API_VERSION, type GatewayPlugin, type PluginHost, type PolicyRecord, type RequestContext, policyValidatorService, zodConfigValidator } from '@portcullis/core';
import { admit, reconcile, type Admission, type AdmissionInput, type TokenReservation } from './admission';
import { rateLimitPolicyConfigSchema, rateLimitsPluginConfigSchema, type RateLimitsPluginConfig } from './policy-config';
import { closeQuietly, openFailFastRedis, waitUntilReady } from './fail-fast-redis';
import { PolicyLimiterCache } from './policy-limiters';
import { TokenCountCache } from './token-count-cache';
import { inputTokensOf, maxOutputTokensOf } from './token-estimate';

export const RATE_LIMITS_PLUGIN_NAME = 'rate-limits';

const RESERVATIONS = createStateKey<TokenReservation[]>('rate-limits:token-reservations');

/** Minimum gap between two log lines about the shared store being down (one per outage, roughly). */
const STORE_WARNING_INTERVAL_MS = 10_000;
/** Boot waits this long at most for Redis; after that the policies' failMode applies until it connects. */
const CONNECT_WAIT_MS = 2_000;

/** Published with host.provide(RATE_LIMITS_PLUGIN_NAME, ...) for readiness checks and tests. */
export interface RateLimitsService {
  /** ioredis status of the counters connection, or 'memory' without Redis. */
  sharedStoreStatus(): string;
}

export interface RateLimitsPluginOptions {
  /** Clock for tests; defaults to Date.now. */
  now?: () => number;
}

interface Runtime {
  host: PluginHost;
  cache: PolicyLimiterCache;
  decisions: { inc(labels?: Record<string, string>, value?: number): void };
  reportedInvalid: Set<string>;
  /** Token counts of recently seen prompt text (conversations resend their history every turn). */
  tokenCounts: TokenCountCache;
}

/**
 * Creates an independent rate-limits plugin. Its state (limiters, counters) lives in this
 * closure and is bound to the one host that sets it up; a second gateway in the same process
 * needs its own instance (hooks receive no host, so one instance cannot serve two).
 */
export function createRateLimitsPlugin(options: RateLimitsPluginOptions = {}): GatewayPlugin<RateLimitsPluginConfig> {
  const now = options.now ?? Date.now;
  let runtime: Runtime | null = null;

  const requireRuntime = (): Runtime => {
    if (!runtime) throw new GatewayError('GW_ERR_INTERNAL', { cause: new Error('rate-limits hook ran before setup') });
    return runtime;
  };

  const buildInputs = (rt: Runtime, ctx: RequestContext, policies: PolicyRecord[]): AdmissionInput[] => {
    const inputs: AdmissionInput[] = [];
    for (const policy of policies) {
      const limiters = rt.cache.for(policy);
      ctx.logAnnotations.versions[`rate_limit:${policy.id}`] = policy.version;
      if (!limiters.valid) {
        // A limit that cannot be read must not silently stop limiting: refuse until fixed.
        if (!rt.reportedInvalid.has(`${policy.id}:${policy.version}`)) {
          rt.reportedInvalid.add(`${policy.id}:${policy.version}`);
          rt.host.logger.error({ policyId: policy.id, version: policy.version, problem: limiters.problem }, 'invalid rate_limit policy; failing closed');
        }
        throw new GatewayError('GW_ERR_LIMITER_UNAVAILABLE', { details: { policyId: policy.id, problem: limiters.problem } });
      }
      const { config } = limiters;
      const tokenEstimate =
        config.tpm !== undefined && ctx.llm ? inputTokensOf(ctx, rt.tokenCounts.count) + maxOutputTokensOf(ctx, config.defaultMaxTokens) : 0;
      inputs.push({ policy, config, windows: limiters.windows, tokenEstimate });
    }
    return inputs;
  };

  return definePlugin<RateLimitsPluginConfig>({
    name: RATE_LIMITS_PLUGIN_NAME,
    apiVersion: PLUGIN_API_VERSION,
    priority: 700,
    dependsOn: ['auth'],
    configSchema: rateLimitsPluginConfigSchema,

    async setup(host, config) {
      host.provide(policyValidatorService('rate_limit'), zodConfigValidator(rateLimitPolicyConfigSchema));
      if (runtime) throw new Error('this rate-limits plugin instance is already set up; create one per gateway with createRateLimitsPlugin()');
      const redis = host.redis ? openFailFastRedis(host.redis, config.redisTimeoutMs) : null;
      if (redis && !(await waitUntilReady(redis, CONNECT_WAIT_MS))) {
        host.logger.warn({}, 'rate-limits: Redis not reachable at boot; policies apply their failMode until it is');
      }
      host.provide<RateLimitsService>(RATE_LIMITS_PLUGIN_NAME, { sharedStoreStatus: () => redis?.status ?? 'memory' });
      let lastStoreWarning = Number.NEGATIVE_INFINITY;
      const fallbacks = host.metrics.counter('portcullis_rate_limit_store_fallbacks_total', 'Rate-limit calls that could not use Redis', ['reason']);
      runtime = {
        host,
        reportedInvalid: new Set(),
        tokenCounts: new TokenCountCache(),
        decisions: host.metrics.counter('portcullis_rate_limit_decisions_total', 'Rate-limit decisions', ['outcome']),
        cache: new PolicyLimiterCache({
          redis,
          redisTimeoutMs: config.redisTimeoutMs,
          keyPrefix: config.keyPrefix,
          now,
          onSharedFailure: (policy, reason, error) => {
            fallbacks.inc({ reason });
            if (now() - lastStoreWarning < STORE_WARNING_INTERVAL_MS) return;
            lastStoreWarning = now();
            host.logger.warn({ policyId: policy.id, reason, err: error }, 'rate-limit store unavailable; applying the policy failMode');
          },
        }),
      };
      return () => {
        runtime = null;
        if (redis) closeQuietly(redis);
      };
    },

    hooks: {
      // Not async: with in-process windows the whole admission is synchronous, and a hook that
      // returns no promise costs the pipeline no await.
      beforeUpstream(ctx) {
        const rt = requireRuntime();
        const policies = rt.host.config.policiesFor('rate_limit', ctx);
        if (policies.length === 0) return;
        const admitted = (admission: Admission): void => {
          for (const name in admission.headers) ctx.responseHeaders.set(name, admission.headers[name]!);
          ctx.state.set(RESERVATIONS, admission.reservations);
          rt.decisions.inc({ outcome: 'admitted' });
        };
        const refused = (err: unknown): never => {
          const outcome = err instanceof GatewayError && err.code === 'GW_ERR_RATE_LIMITED' ? 'rejected' : 'unavailable';
          rt.decisions.inc({ outcome });
          throw err;
        };
        let admission: Admission | Promise<Admission>;
        try {
          admission = admit(buildInputs(rt, ctx, policies), now);
        } catch (err) {
          return refused(err);
        }
        if (admission instanceof Promise) return admission.then(admitted, refused);
        admitted(admission);
      },

      onLog(ctx) {
        const reservations = ctx.state.get(RESERVATIONS);
        if (!reservations || reservations.length === 0) return;
        ctx.state.set(RESERVATIONS, []); // reconcile once, even if onLog were called twice
        const usage = ctx.llm?.usage;
        // No usage means the upstream never produced anything billable: give it all back.
        const actual = usage ? usage.inputTokens + usage.outputTokens : 0;
        const warn = (err: unknown): void => requireRuntime().host.logger.warn({ err, requestId: ctx.id }, 'could not reconcile token reservation');
        try {
          const reconciled = reconcile(reservations, actual, now());
          if (reconciled) return reconciled.catch(warn);
        } catch (err) {
          warn(err);
        }
      },
    },
  });
}
