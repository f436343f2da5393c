import { z } from 'zod';

/**
 * Config of one `rate_limit` policy record. Every limit is optional but a policy must set at
 * least one. `failMode` says what happens when the shared counter store (Redis) is unreachable:
 * `open` keeps limiting with this instance's in-memory counters, `closed` refuses with 503.
 */
export const rateLimitPolicyConfigSchema = z
  .object({
    rpm: z.number().int().positive().optional(),
    rph: z.number().int().positive().optional(),
    tpm: z.number().int().positive().optional(),
    failMode: z.enum(['open', 'closed']).default('open'),
    /** Output tokens reserved for TPM when the request sets no max_tokens. */
    defaultMaxTokens: z.number().int().positive().optional(),
  })
  .strict()
  .refine((c) => c.rpm !== undefined || c.rph !== undefined || c.tpm !== undefined, {
    message: 'a rate_limit policy needs at least one of rpm, rph, tpm',
  });

export type RateLimitPolicyConfig = z.output<typeof rateLimitPolicyConfigSchema>;

/** Plugin-level options, validated at boot. */
export const rateLimitsPluginConfigSchema = z
  .object({
    /** Upper bound for every Redis call; past it the policy's failMode decides. */
    redisTimeoutMs: z.number().int().min(5).max(2000).default(100),
    /** Redis key prefix; keys are `<prefix>:<policy id>:v<version>:<window>`. */
    keyPrefix: z.string().min(1).default('portcullis:rl'),
  })
  .strict();

export type RateLimitsPluginConfig = z.output<typeof rateLimitsPluginConfigSchema>;
