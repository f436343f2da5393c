import { createRateLimitsPlugin } from './plugin';

export { createRateLimitsPlugin, RATE_LIMITS_PLUGIN_NAME, type RateLimitsPluginOptions, type RateLimitsService } from './plugin';
export { openFailFastRedis, waitUntilReady, closeQuietly } from './fail-fast-redis';
export { settleWithin, TIMED_OUT, type Settled } from './deadline';
export {
  rateLimitPolicyConfigSchema,
  rateLimitsPluginConfigSchema,
  type RateLimitPolicyConfig,
  type RateLimitsPluginConfig,
} from './policy-config';
export { formatResetDuration, retryAfterSeconds } from './reset-duration';
export {
  countChatInputTokens,
  countEmbeddingsInputTokens,
  inputTokensOf,
  maxOutputTokensOf,
  FALLBACK_MAX_OUTPUT_TOKENS,
  type CountTokens,
} from './token-estimate';
export { TokenCountCache, type TokenCountCacheOptions } from './token-count-cache';
export { WindowLimiter, type ConsumeOutcome, type WindowLimiterOptions } from './window-limiter';

/** Loaded by name from config: each gateway gets its own instance (no module-level state). */
export const createPlugin = createRateLimitsPlugin;
