/**
 * The optional Portcullis features the bench turns on when their package is built. Adding one is
 * one entry here: the plugin package, its plugin-level config, and the policy it needs on the
 * bench project (YAML, indented for the project's `policies:` list). Limits are set far above
 * what the bench can reach: the point is to pay for the checks, not to be refused (the soak checks
 * its own load against these before it starts).
 */
export const LIMITS = { rpm: 100_000_000, tpm: 100_000_000_000, budgetUsdPerMonth: 1_000_000_000 };

export const OPTIONAL_FEATURES = [
  {
    name: 'rate-limits (RPM+TPM)',
    package: '@portcullis/plugin-rate-limits',
    policies: [`{ kind: rate_limit, config: { rpm: ${LIMITS.rpm}, tpm: ${LIMITS.tpm} } }`],
  },
  {
    name: 'budgets',
    package: '@portcullis/plugin-budgets',
    policies: [`{ kind: budget, config: { capUsd: ${LIMITS.budgetUsdPerMonth}, window: monthly } }`],
  },
  {
    name: 'guardrails (pattern detectors)',
    package: '@portcullis/plugin-guardrails',
    // Name detection runs in a worker pool and is off in the balanced preset; patterns only.
    config: { names: { workers: 0 } },
    policies: ['{ kind: guardrail, config: { preset: balanced } }'],
  },
];

/** Always on: the minimum for an OpenAI-compatible project. */
export const BASE_FEATURES = [
  { name: 'auth (bearer token)', package: '@portcullis/plugin-auth', policies: [] },
  { name: 'ai-wrapper', package: '@portcullis/plugin-ai-wrapper', policies: [] },
];
