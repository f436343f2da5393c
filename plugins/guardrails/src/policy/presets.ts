import { NAME_TYPES, PII_TYPES, SECRET_TYPES } from '../entities';
import type { GuardrailAction, PresetName, ResolvedPolicy } from './schema';

const all = (types: readonly string[], action: GuardrailAction): Record<string, GuardrailAction> =>
  Object.fromEntries(types.map((t) => [t, action]));

const base = {
  enabled: true,
  scanInput: true,
  scanOutput: true,
  phoneRegions: ['US', 'CA', 'GB', 'DE', 'FR', 'NL', 'ES', 'IT'],
  customPatterns: [],
  streamWindow: 256,
} as const;

/**
 * strict: nothing sensitive reaches the provider; credentials and financial identifiers stop
 * the request; names are looked for and the name check fails closed.
 * balanced (the default): credentials and financial identifiers are masked, contact data is
 * redacted reversibly (the provider sees placeholders, the user sees the real values).
 * relaxed: only credentials and card/SSN numbers are masked; the rest is logged.
 */
export const PRESETS: Readonly<Record<PresetName, ResolvedPolicy>> = {
  strict: {
    ...base,
    entities: {
      ...all(PII_TYPES, 'mask'),
      ...all(SECRET_TYPES, 'block'),
      ...all(NAME_TYPES, 'mask'),
      CREDIT_CARD: 'block',
      US_SSN: 'block',
      IBAN: 'block',
      PASSPORT: 'block',
      NATIONAL_ID: 'block',
      URL_CREDENTIALS: 'block',
    },
    promptInjection: 'block',
    names: { timeoutMs: 50, onTimeout: 'block' },
  },
  balanced: {
    ...base,
    entities: {
      ...all(PII_TYPES, 'mask'),
      ...all(SECRET_TYPES, 'mask'),
      ...all(NAME_TYPES, 'off'),
      EMAIL: 'redact_reversible',
      PHONE: 'redact_reversible',
      IP_ADDRESS: 'log_only',
      MAC_ADDRESS: 'log_only',
    },
    promptInjection: 'log_only',
    names: { timeoutMs: 30, onTimeout: 'allow' },
  },
  relaxed: {
    ...base,
    entities: {
      ...all(PII_TYPES, 'log_only'),
      ...all(SECRET_TYPES, 'mask'),
      ...all(NAME_TYPES, 'off'),
      CREDIT_CARD: 'mask',
      US_SSN: 'mask',
    },
    promptInjection: 'off',
    names: { timeoutMs: 30, onTimeout: 'allow' },
  },
};
