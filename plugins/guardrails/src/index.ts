import { createGuardrailsPlugin } from './plugin';

export { createGuardrailsPlugin, guardrailsConfigSchema, GUARDRAILS_HEADER, type GuardrailsConfig, type GuardrailsPluginOptions } from './plugin';
export { validateGuardrailPolicy, type PolicyValidationIssue, type PolicyValidationResult } from './policy/validate';
export { guardrailPolicySchema, type GuardrailPolicy, type GuardrailAction, type ResolvedPolicy } from './policy/schema';
export { PRESETS } from './policy/presets';
export { resolvePolicy } from './policy/resolve';
export { compileScanner, type Scanner } from './detect/scanner';
export type { Span } from './detect/types';
export { BUILTIN_ENTITY_TYPES, PII_TYPES, SECRET_TYPES, NAME_TYPES, PROMPT_INJECTION } from './entities';

/** Loaded by name from config: each gateway gets its own instance (no module-level state). */
export const createPlugin = createGuardrailsPlugin;
