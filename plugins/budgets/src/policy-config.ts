import { GatewayError, SsrfGuard } from '@portcullis/core';
import { z } from 'zod';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * Config of one `budget` policy record (token, endpoint or project level).
 * `failMode` (our addition) says what happens while the shared ledger (Redis) is unreachable:
 * `open` serves without a reservation (spend is still recorded once Redis answers),
 * `closed` refuses with 503.
 */
export const budgetPolicyConfigSchema = z
  .object({
    capUsd: z.number().positive().finite(),
    window: z.enum(['monthly', 'daily', 'total']),
    timeZone: z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' }).default('UTC'),
    thresholds: z
      .array(z.number().gt(0).lte(1))
      .max(10)
      .default([0.5, 0.8, 1.0])
      .transform((t) => [...new Set(t)].sort((a, b) => a - b)),
    webhook: z.object({ url: z.url({ protocol: /^https?$/ }), secret: z.string().min(16) }).strict().optional(),
    unknownPrice: z.enum(['allow', 'block']).default('allow'),
    failMode: z.enum(['open', 'closed']).default('open'),
    /** Output tokens assumed for the estimate when the request sets no max_tokens. */
    defaultMaxTokens: z.number().int().positive().optional(),
  })
  .strict();

export type BudgetPolicyConfig = z.output<typeof budgetPolicyConfigSchema>;

/**
 * The save-time check of a budget policy: the schema, plus the webhook URL through the plugin's
 * SSRF guard, so an operator learns at once that `http://169.254.169.254/...` will never be
 * called (delivery refuses it again at request time, after DNS).
 */
export function budgetPolicyValidationSchema(guard: SsrfGuard) {
  return budgetPolicyConfigSchema.superRefine((config, issues) => {
    if (!config.webhook) return;
    try {
      guard.assertUrl(config.webhook.url);
    } catch (err) {
      issues.addIssue({ code: 'custom', path: ['webhook', 'url'], message: err instanceof GatewayError ? err.message : String(err) });
    }
  });
}
export type BudgetWindow = BudgetPolicyConfig['window'];

/** Plugin-level options, validated at boot. */
export const budgetsPluginConfigSchema = z
  .object({
    redisTimeoutMs: z.number().int().min(5).max(2000).default(100),
    keyPrefix: z.string().min(1).default('portcullis:budget'),
    webhook: z
      .object({
        maxAttempts: z.number().int().min(1).max(10).default(4),
        baseDelayMs: z.number().int().min(1).max(60_000).default(1000),
        timeoutMs: z.number().int().min(100).max(60_000).default(5000),
        /**
         * Internal receivers the operator opens explicitly (CIDRs, IPs, host names, `*.corp.example`);
         * everything private, loopback, link-local or metadata is refused otherwise.
         */
        ssrfAllow: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .superRefine((webhook, issues) => {
        try {
          new SsrfGuard({ allow: webhook.ssrfAllow });
        } catch (err) {
          issues.addIssue({ code: 'custom', path: ['ssrfAllow'], message: (err as Error).message });
        }
      })
      .default({ maxAttempts: 4, baseDelayMs: 1000, timeoutMs: 5000, ssrfAllow: [] }),
  })
  .strict();

export type BudgetsPluginConfig = z.output<typeof budgetsPluginConfigSchema>;
