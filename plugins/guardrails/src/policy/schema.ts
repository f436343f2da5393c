import { z } from 'zod';
import { BUILTIN_ENTITY_TYPES } from '../entities';

export const ACTIONS = ['mask', 'block', 'redact_reversible', 'log_only', 'off'] as const;
export type GuardrailAction = (typeof ACTIONS)[number];
export const actionSchema = z.enum(ACTIONS);

export const PRESET_NAMES = ['strict', 'balanced', 'relaxed'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Custom type names share the mask label format: `[EMPLOYEE_ID]`. */
export const customTypeName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be UPPER_SNAKE_CASE, 2-40 characters')
  .refine((name) => !(BUILTIN_ENTITY_TYPES as readonly string[]).includes(name) && name !== 'PROMPT_INJECTION', {
    message: 'must not reuse a built-in entity type name',
  });

export const customPatternSchema = z.strictObject({
  name: customTypeName,
  /** A JavaScript regex source; checked for catastrophic backtracking when saved. */
  pattern: z.string().min(1).max(500),
  flags: z.string().regex(/^[imsu]*$/, 'only the i, m, s and u flags are allowed').optional(),
  action: actionSchema,
  /** Longest expected match; longer matches are ignored. Also the stream hold-back it needs. */
  maxLength: z.number().int().min(1).max(256).optional(),
});
export type CustomPattern = z.infer<typeof customPatternSchema>;

export const namesSchema = z.strictObject({
  /** Time budget per request for name detection in the worker pool. */
  timeoutMs: z.number().int().min(1).max(5000).optional(),
  /** When the budget runs out: 'allow' fails open (audit note), 'block' fails closed (503). */
  onTimeout: z.enum(['allow', 'block']).optional(),
});

/**
 * One guardrail policy as stored (a PolicyRecord's config). Every field is optional: a level
 * states only what it changes, and levels merge per field (see resolve.ts).
 */
export const guardrailPolicySchema = z.strictObject({
  preset: z.enum(PRESET_NAMES).optional(),
  enabled: z.boolean().optional(),
  scanInput: z.boolean().optional(),
  scanOutput: z.boolean().optional(),
  /** Action per built-in entity type; unlisted types keep the preset's action. */
  entities: z.partialRecord(z.enum(BUILTIN_ENTITY_TYPES), actionSchema).optional(),
  promptInjection: z.enum(['block', 'log_only', 'off']).optional(),
  names: namesSchema.optional(),
  /** Regions whose national phone formats count (international +numbers always do). */
  phoneRegions: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code')).min(1).max(30).optional(),
  customPatterns: z.array(customPatternSchema).max(50).optional(),
  /** Upper bound of the stream hold-back window in characters. */
  streamWindow: z.number().int().min(16).max(256).optional(),
});
export type GuardrailPolicy = z.infer<typeof guardrailPolicySchema>;

/** A fully resolved policy: every field present. */
export interface ResolvedPolicy {
  enabled: boolean;
  scanInput: boolean;
  scanOutput: boolean;
  entities: Readonly<Record<string, GuardrailAction>>;
  promptInjection: 'block' | 'log_only' | 'off';
  names: { timeoutMs: number; onTimeout: 'allow' | 'block' };
  phoneRegions: readonly string[];
  customPatterns: readonly CustomPattern[];
  streamWindow: number;
}
