import type { PolicyRecord, RedisClient } from '@portcullis/core';
import { rateLimitPolicyConfigSchema, type RateLimitPolicyConfig } from './policy-config';
import { WindowLimiter, type WindowName } from './window-limiter';

export type PolicyLimiters =
  | { valid: true; policy: PolicyRecord; config: RateLimitPolicyConfig; windows: WindowLimiter[] }
  | { valid: false; policy: PolicyRecord; problem: string };

export interface PolicyLimiterCacheOptions {
  redis: RedisClient | null;
  redisTimeoutMs: number;
  keyPrefix: string;
  onSharedFailure?: (policy: PolicyRecord, reason: string, error?: unknown) => void;
  /** Clock of the in-process windows (Date.now by default). */
  now?: () => number;
}

const WINDOWS: WindowName[] = ['rpm', 'rph', 'tpm'];

/**
 * Limiters per (policy id, version), created on first use and kept for the host's life.
 * Owned by one plugin instance (one host): nothing is shared between gateways in a process.
 */
export class PolicyLimiterCache {
  private readonly byVersion = new Map<string, PolicyLimiters>();
  /** policy id -> its cached version key, so a new version of a policy drops the old limiters. */
  private readonly currentById = new Map<string, string>();

  constructor(private readonly options: PolicyLimiterCacheOptions) {}

  get size(): number {
    return this.byVersion.size;
  }

  for(policy: PolicyRecord): PolicyLimiters {
    const versionKey = `${policy.id}:v${policy.version}`;
    const cached = this.byVersion.get(versionKey);
    if (cached) return cached;

    const previous = this.currentById.get(policy.id);
    if (previous !== undefined) this.byVersion.delete(previous);
    this.currentById.set(policy.id, versionKey);

    const built = this.build(policy, versionKey);
    this.byVersion.set(versionKey, built);
    return built;
  }

  private build(policy: PolicyRecord, versionKey: string): PolicyLimiters {
    const parsed = rateLimitPolicyConfigSchema.safeParse(policy.config);
    if (!parsed.success) {
      return { valid: false, policy, problem: parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ') };
    }
    const config = parsed.data;
    const windows: WindowLimiter[] = [];
    for (const name of WINDOWS) {
      const limit = config[name];
      if (limit === undefined) continue;
      windows.push(
        new WindowLimiter({
          name,
          limit,
          key: `${versionKey}:${name}`,
          keyPrefix: this.options.keyPrefix,
          failMode: config.failMode,
          redis: this.options.redis,
          redisTimeoutMs: this.options.redisTimeoutMs,
          onSharedFailure: (reason, error) => this.options.onSharedFailure?.(policy, reason, error),
          now: this.options.now,
        }),
      );
    }
    return { valid: true, policy, config, windows };
  }
}
