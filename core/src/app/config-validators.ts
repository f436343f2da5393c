import type { ZodType } from 'zod';
import type { ConfigValidator } from '../spec/plugin';
import type { PolicyKind, ProjectType } from '../spec/store';

/**
 * Service names under which plugins provide ConfigValidators (host.provide). The plugin that
 * enforces a policy kind or serves an endpoint type owns its config's shape; writers (the admin
 * API) look the validator up by these names instead of importing another plugin.
 */
export const policyValidatorService = (kind: PolicyKind): string => `config-validator:policy:${kind}`;
export const endpointValidatorService = (projectType: ProjectType): string => `config-validator:endpoint:${projectType}`;

/** A ConfigValidator from a zod schema (the usual case for a plugin's policy config). */
export function zodConfigValidator(schema: ZodType): ConfigValidator {
  return (config) => {
    const result = schema.safeParse(config);
    return result.success ? { ok: true } : { ok: false, issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
  };
}
