import { findBacktrackingRisk } from './redos';
import { guardrailPolicySchema, type GuardrailPolicy } from './schema';

export interface PolicyValidationIssue {
  /** Dotted path into the config, e.g. `customPatterns.0.pattern`. */
  path: string;
  message: string;
}
export type PolicyValidationResult =
  | { ok: true; policy: GuardrailPolicy }
  | { ok: false; issues: PolicyValidationIssue[] };

/**
 * For the admin API, before a guardrail policy version is saved: the schema, plus a
 * catastrophic-backtracking check of every custom pattern (an operator must not be able to
 * take the gateway down with a regex).
 */
export function validateGuardrailPolicy(config: unknown): PolicyValidationResult {
  const parsed = guardrailPolicySchema.safeParse(config);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    };
  }
  const issues: PolicyValidationIssue[] = [];
  const seen = new Set<string>();
  (parsed.data.customPatterns ?? []).forEach((pattern, i) => {
    if (seen.has(pattern.name)) issues.push({ path: `customPatterns.${i}.name`, message: `duplicate custom pattern name ${pattern.name}` });
    seen.add(pattern.name);
    const risk = findBacktrackingRisk(pattern.pattern, pattern.flags ?? '');
    if (risk !== null) issues.push({ path: `customPatterns.${i}.pattern`, message: `Pattern ${pattern.name} ${risk}.` });
    else if (new RegExp(pattern.pattern, pattern.flags ?? '').test('')) {
      issues.push({ path: `customPatterns.${i}.pattern`, message: `Pattern ${pattern.name} matches the empty string.` });
    }
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, policy: parsed.data };
}
