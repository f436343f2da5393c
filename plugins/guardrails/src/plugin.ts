import { definePlugin, GatewayError, policyValidatorService, type ConfigValidator, type GatewayPlugin, type PluginHost, type RequestContext } from '@portcullis/core';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { Findings } from './actions/findings';
import { RedactionVault } from './actions/vault';
import { guardRequest } from './hooks/input-guard';
import { guardResponse } from './hooks/output-guard';
import { reportFindings, reportNamesSkipped } from './hooks/report';
import { GUARDRAIL_STATE, type GuardrailRequestState } from './hooks/request-state';
import { StreamGuard } from './hooks/stream-guard';
import { createNamesLookup } from './names/lookup';
import { NamesWorkerPool } from './names/pool';
import { NameSpanCache } from './names/span-cache';
import { NAMES_WORKER_SOURCE } from './names/worker-source';
import { CompiledPolicies } from './policy/compiled-policies';
import { guardrailPolicySchema } from './policy/schema';
import { validateGuardrailPolicy } from './policy/validate';

export const GUARDRAILS_HEADER = 'x-portcullis-guardrail-ms';

export const guardrailsConfigSchema = z.strictObject({
  /** Applies beneath every stored policy (the deployment's baseline); none = off until a policy exists. */
  defaultPolicy: guardrailPolicySchema.optional(),
  names: z
    .strictObject({
      /** Worker threads for name detection; 0 disables it (name policies then follow onTimeout). */
      workers: z.number().int().min(0).max(2).default(1),
      maxQueue: z.number().int().min(1).max(1000).default(64),
      /** Snippets whose name spans are remembered across requests (digests, no text); 0 = no cache. */
      cacheEntries: z.number().int().min(0).max(100_000).default(4096),
      /**
       * Tag small jobs on the event loop instead of a worker (names/inline-tagger.ts): saves the
       * thread hop (~0.4-0.6 ms) but blocks the loop for the job. Off unless set: a job goes
       * inline when its expected cost is at most `maxJobMs` and inline work has used at most
       * `maxShare` of the loop's time. Costs ~10 MB of heap and a ~0.5 s load after start-up.
       */
      inline: z
        .strictObject({ maxJobMs: z.number().positive().max(10), maxShare: z.number().positive().max(0.5).default(0.1) })
        .optional(),
    })
    .default({ workers: 1, maxQueue: 64, cacheEntries: 4096 }),
});
export type GuardrailsConfig = z.infer<typeof guardrailsConfigSchema>;

/** Overrides for tests: a different worker source (slow, broken) for the names pool. */
export interface GuardrailsPluginOptions {
  namesWorkerSource?: string;
  /**
   * Warm-up jobs the names worker runs in its idle time after start-up (see names/warm-up.ts);
   * default 600, ~3 s of one core. Tests that start many workers lower it.
   */
  namesWarmUpRounds?: number;
}

const DEFAULT_WARM_UP_ROUNDS = 600;

interface Instance {
  host: PluginHost;
  policies: CompiledPolicies;
  pool: NamesWorkerPool | null;
  nameCache: NameSpanCache | null;
}

/**
 * The guardrails plugin. Each call returns an independent instance (its own policy cache and
 * worker pool), so two gateways in one process never share state.
 */
export function createGuardrailsPlugin(options: GuardrailsPluginOptions = {}): GatewayPlugin<GuardrailsConfig> {
  let instance: Instance | null = null;
  const active = (): Instance => {
    if (instance === null) throw new GatewayError('GW_ERR_INTERNAL', { details: { reason: 'guardrails plugin used before setup' } });
    return instance;
  };

  const setHeader = (ctx: RequestContext, state: GuardrailRequestState): void => {
    ctx.responseHeaders.set(GUARDRAILS_HEADER, state.elapsedMs.toFixed(3));
  };

  return definePlugin<GuardrailsConfig>({
    name: 'guardrails',
    apiVersion: 1,
    // After rate limits and budgets (cheap refusals first), before the cache (its key must
    // see the masked request).
    priority: 500,
    configSchema: guardrailsConfigSchema,
    setup(host, config) {
      if (instance !== null) throw new Error('guardrails: this plugin instance is already set up; call createGuardrailsPlugin() per gateway');
      // Policy writers (the admin API) check guardrail configs here, including the ReDoS check.
      host.provide<ConfigValidator>(policyValidatorService('guardrail'), (policy) => {
        const result = validateGuardrailPolicy(policy);
        return result.ok ? { ok: true } : { ok: false, issues: result.issues };
      });
      const pool =
        config.names.workers > 0
          ? new NamesWorkerPool({
              size: config.names.workers,
              maxQueue: config.names.maxQueue,
              source: options.namesWorkerSource ?? NAMES_WORKER_SOURCE,
              // The tagger without the phrase chunker: names need only the tags (tag-snippets.ts).
              workerData: { compromisePath: require.resolve('compromise/two'), warmUpRounds: options.namesWarmUpRounds ?? DEFAULT_WARM_UP_ROUNDS },
              ...(config.names.inline ? { inline: config.names.inline } : {}),
            })
          : null;
      const nameCache = config.names.cacheEntries > 0 ? new NameSpanCache(config.names.cacheEntries) : null;
      instance = { host, policies: new CompiledPolicies(config.defaultPolicy), pool, nameCache };
      return async () => {
        await pool?.close();
        instance = null;
      };
    },
    hooks: {
      async beforeUpstream(ctx) {
        const llm = ctx.llm;
        if (llm === null) return;
        const { host, policies, pool, nameCache } = active();
        const started = performance.now();
        const records = host.config.policiesFor('guardrail', ctx);
        const scanner = policies.scannerFor(records);
        if (scanner === null) return;
        for (const record of records) ctx.logAnnotations.versions[`guardrail:${record.id}`] = record.version;

        const state: GuardrailRequestState = { scanner, vault: new RedactionVault(), outputFindings: new Findings(), elapsedMs: 0, stream: null };
        ctx.state.set(GUARDRAIL_STATE, state);

        if (scanner.policy.scanInput) {
          const result = await guardRequest(llm.request, scanner, state.vault, createNamesLookup(pool, nameCache, scanner.policy.names.timeoutMs));
          state.elapsedMs += performance.now() - started;
          setHeader(ctx, state);
          if (result.namesFailure !== null) {
            const fails = scanner.policy.names.onTimeout === 'block';
            reportNamesSkipped(host, ctx, result.namesFailure, fails ? 'blocked' : 'allowed');
            if (fails) throw new GatewayError('GW_ERR_GUARDRAIL_TIMEOUT', { details: { reason: result.namesFailure } });
          }
          reportFindings(host, ctx, 'input', result.findings);
          if (result.blockedTypes.length > 0) {
            throw new GatewayError('GW_ERR_GUARDRAIL_BLOCKED', {
              message: `The request was blocked by a guardrail policy: it contains ${result.blockedTypes.join(', ')}.`,
              details: { direction: 'input', types: result.blockedTypes },
            });
          }
          llm.request = result.request;
        } else {
          state.elapsedMs += performance.now() - started;
          setHeader(ctx, state);
        }
        if (llm.stream && (scanner.policy.scanOutput || state.vault.size > 0)) {
          state.stream = new StreamGuard(scanner, state.vault, state.outputFindings);
        }
      },

      onChunk(ctx, part) {
        const stream = ctx.state.get(GUARDRAIL_STATE)?.stream;
        return stream === null || stream === undefined ? undefined : stream.push(part);
      },

      // Core calls this instead of onChunk: one scan per upstream read rather than per token.
      onChunks(ctx, parts) {
        const stream = ctx.state.get(GUARDRAIL_STATE)?.stream;
        return stream === null || stream === undefined ? undefined : stream.pushBatch(parts);
      },

      onStreamEnd(ctx) {
        const state = ctx.state.get(GUARDRAIL_STATE);
        if (state?.stream === null || state?.stream === undefined) return;
        const parts = state.stream.end();
        reportFindings(active().host, ctx, 'output', state.outputFindings);
        return parts;
      },

      async onResponse(ctx, response) {
        const state = ctx.state.get(GUARDRAIL_STATE);
        if (state === undefined || (!state.scanner.policy.scanOutput && state.vault.size === 0)) return;
        const { host, pool, nameCache } = active();
        const started = performance.now();
        const lookup = createNamesLookup(pool, nameCache, state.scanner.policy.names.timeoutMs);
        const result = await guardResponse(response, state.scanner, state.vault, lookup);
        state.elapsedMs += performance.now() - started;
        setHeader(ctx, state);
        if (result.namesFailure !== null) {
          const fails = state.scanner.policy.names.onTimeout === 'block';
          reportNamesSkipped(host, ctx, result.namesFailure, fails ? 'blocked' : 'allowed');
          // The answer is withheld rather than sent unchecked.
          if (fails) throw new GatewayError('GW_ERR_GUARDRAIL_TIMEOUT', { details: { reason: result.namesFailure, direction: 'output' } });
        }
        reportFindings(host, ctx, 'output', result.findings);
        if (result.blockedTypes.length > 0) {
          throw new GatewayError('GW_ERR_GUARDRAIL_BLOCKED', {
            message: `The response was blocked by a guardrail policy: it contains ${result.blockedTypes.join(', ')}.`,
            details: { direction: 'output', types: result.blockedTypes },
          });
        }
        return result.response;
      },
    },
  });
}
