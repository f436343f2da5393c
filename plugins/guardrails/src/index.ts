import { createGuardrailsPlugin } from './plugin';

export { createGuardrailsPlugin, guardrailsConfigSchema, GUARDRAILS_HEADER, type GuardrailsConfig, type GuardrailsPluginOptions } from './plugin';
export { validateGuardrailPolicy, type PolicyValidationIssue, type PolicyValidationResult } from './policy/validate';
export { guardrailPolicySchema, type GuardrailPolicy, type GuardrailAction, type ResolvedPolicy } from './policy/schema';
export { PRESETS } from './policy/presets';
export { resolvePolicy } from './policy/resolve';
export { compileScanner, type Scanner } from './detect/scanner';
export type { Span } from './detect/types';
export { BUILTIN_ENTITY_TYPES, PII_TYPES, SECRET_TYPES, NAME_TYPES, PROMPT_INJECTION } from './entities';

/**
 * For the plugin loader (`plugin` / `default` export). A factory call per module load: use
 * createGuardrailsPlugin() directly to run two gateways with guardrails in one process.
 */
export const plugin = createGuardrailsPlugin();
export default plugin;
