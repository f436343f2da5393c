import { GatewayError, type PolicyRecord } from '@portcullis/core';
import { compileScanner, type Scanner } from '../detect/scanner';
import { resolvePolicy } from './resolve';
import { guardrailPolicySchema, type GuardrailPolicy } from './schema';

/**
 * Compiled scanners by the set of policy versions that apply. Policy versions are immutable,
 * so a (id@version, ...) key never goes stale; the map is bounded and drops its oldest entry.
 * Owned by one plugin instance.
 */
export class CompiledPolicies {
  private readonly cache = new Map<string, Scanner | null>();

  constructor(
    private readonly deploymentDefault: GuardrailPolicy | undefined,
    private readonly maxEntries = 256,
  ) {}

  /** The scanner for these policy records (most general first), or null when guardrails are off. */
  scannerFor(records: readonly PolicyRecord[]): Scanner | null {
    if (records.length === 0 && this.deploymentDefault === undefined) return null;
    const key = records.map((r) => `${r.id}@${r.version}`).join('|');
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;

    const levels: GuardrailPolicy[] = this.deploymentDefault === undefined ? [] : [this.deploymentDefault];
    for (const record of records) {
      const parsed = guardrailPolicySchema.safeParse(record.config);
      // Saved policies are validated; one that no longer parses is a bug, and a security
      // plugin must fail closed rather than run without the policy.
      if (!parsed.success) {
        throw new GatewayError('GW_ERR_INTERNAL', { details: { policyId: record.id, version: record.version, reason: 'invalid guardrail policy' } });
      }
      levels.push(parsed.data);
    }
    const resolved = resolvePolicy(levels);
    const scanner = resolved.enabled ? compileScanner(resolved) : null;
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, scanner);
    return scanner;
  }
}
