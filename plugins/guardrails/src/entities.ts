/**
 * The entity types guardrails know, grouped so presets and reports can talk about families.
 * A custom pattern adds its own type name at policy level (see policy/schema.ts).
 */
export const PII_TYPES = [
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'US_SSN',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'DATE_OF_BIRTH',
  'PASSPORT',
  'NATIONAL_ID',
  'CRYPTO_WALLET',
  'URL_CREDENTIALS',
] as const;

export const SECRET_TYPES = [
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'GCP_API_KEY',
  'GITHUB_TOKEN',
  'SLACK_TOKEN',
  'OPENAI_KEY',
  'ANTHROPIC_KEY',
  'STRIPE_KEY',
  'JWT',
  'PRIVATE_KEY',
  'NPM_TOKEN',
  'PYPI_TOKEN',
  'GENERIC_SECRET',
] as const;

/** Found by `compromise` in worker threads; only when a policy asks for them. */
export const NAME_TYPES = ['PERSON', 'LOCATION', 'ORGANIZATION'] as const;

export const BUILTIN_ENTITY_TYPES = [...PII_TYPES, ...SECRET_TYPES, ...NAME_TYPES] as const;

export type PiiType = (typeof PII_TYPES)[number];
export type SecretType = (typeof SECRET_TYPES)[number];
export type NameType = (typeof NAME_TYPES)[number];
export type BuiltinEntityType = (typeof BUILTIN_ENTITY_TYPES)[number];

/** Builtin types plus the names of a policy's custom patterns (upper snake case). */
export type EntityType = string;

/** Prompt injection is reported under this type but has its own action and is never masked. */
export const PROMPT_INJECTION = 'PROMPT_INJECTION';

const NAME_SET: ReadonlySet<string> = new Set(NAME_TYPES);
export const isNameType = (type: string): type is NameType => NAME_SET.has(type);

const BUILTIN_SET: ReadonlySet<string> = new Set(BUILTIN_ENTITY_TYPES);
export const isBuiltinType = (type: string): type is BuiltinEntityType => BUILTIN_SET.has(type);

/**
 * Overlap resolution: a higher rank wins; on equal rank the longer span wins. Checksummed
 * secrets and structured numbers outrank loose ones (a card number inside a "password=" value
 * is reported as a card, an email inside a URL with credentials as the URL).
 */
export const SPECIFICITY: Readonly<Record<string, number>> = {
  PRIVATE_KEY: 100,
  URL_CREDENTIALS: 95,
  ANTHROPIC_KEY: 92,
  JWT: 90,
  AWS_ACCESS_KEY: 90,
  AWS_SECRET_KEY: 90,
  GCP_API_KEY: 90,
  GITHUB_TOKEN: 90,
  SLACK_TOKEN: 90,
  OPENAI_KEY: 90,
  STRIPE_KEY: 90,
  NPM_TOKEN: 90,
  PYPI_TOKEN: 90,
  CRYPTO_WALLET: 80,
  IBAN: 80,
  CREDIT_CARD: 80,
  EMAIL: 70,
  US_SSN: 70,
  GENERIC_SECRET: 60,
  DATE_OF_BIRTH: 60,
  PASSPORT: 60,
  NATIONAL_ID: 60,
  MAC_ADDRESS: 60,
  IP_ADDRESS: 55,
  PHONE: 40,
  PERSON: 20,
  LOCATION: 20,
  ORGANIZATION: 20,
};
/** Custom patterns rank between loose PII and secrets. */
export const CUSTOM_SPECIFICITY = 50;
