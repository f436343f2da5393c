import type { PriceEntry } from '../spec/plugin';

/**
 * Shipped list prices, USD per 1M tokens, keyed `provider:model` (undated model ids; see
 * model-id.ts). Taken from the providers' public price pages, checked 2025-10 (standard tier,
 * short-context rates, no batch discount). They are defaults only: operators override them in
 * config / GraphQL, and anything not listed is priced as unknown (null), never as free.
 *
 * Not modelled (the PriceEntry contract has no field for them): Anthropic cache-write
 * surcharges (charged here at the input rate) and Gemini's >200k-token long-context tier.
 */
const p = (inputPerMTok: number, outputPerMTok: number, cachedInputPerMTok?: number): PriceEntry =>
  cachedInputPerMTok === undefined ? { inputPerMTok, outputPerMTok } : { inputPerMTok, outputPerMTok, cachedInputPerMTok };

const ANTHROPIC = {
  'claude-sonnet-4-5': p(3, 15, 0.3),
  'claude-sonnet-4': p(3, 15, 0.3),
  'claude-3-7-sonnet': p(3, 15, 0.3),
  'claude-opus-4-1': p(15, 75, 1.5),
  'claude-opus-4': p(15, 75, 1.5),
  'claude-haiku-4-5': p(1, 5, 0.1),
  'claude-3-5-haiku': p(0.8, 4, 0.08),
} as const;

const prefixed = (prefix: string, table: Record<string, PriceEntry>): Record<string, PriceEntry> =>
  Object.fromEntries(Object.entries(table).map(([model, price]) => [`${prefix}${model}`, price]));

export const DEFAULT_PRICES: Readonly<Record<string, PriceEntry>> = {
  // OpenAI
  'openai:gpt-4o': p(2.5, 10, 1.25),
  'openai:gpt-4o-mini': p(0.15, 0.6, 0.075),
  'openai:gpt-4.1': p(2, 8, 0.5),
  'openai:gpt-4.1-mini': p(0.4, 1.6, 0.1),
  'openai:gpt-4.1-nano': p(0.1, 0.4, 0.025),
  'openai:o3': p(2, 8, 0.5),
  'openai:o3-mini': p(1.1, 4.4, 0.55),
  'openai:o4-mini': p(1.1, 4.4, 0.275),
  'openai:gpt-5': p(1.25, 10, 0.125),
  'openai:gpt-5-mini': p(0.25, 2, 0.025),
  'openai:gpt-5-nano': p(0.05, 0.4, 0.005),
  'openai:text-embedding-3-small': p(0.02, 0),
  'openai:text-embedding-3-large': p(0.13, 0),

  // Anthropic (Messages API ids without the date suffix)
  ...prefixed('anthropic:', ANTHROPIC),

  // Google Gemini (prompts up to 200k tokens)
  'gemini:gemini-2.5-pro': p(1.25, 10, 0.31),
  'gemini:gemini-2.5-flash': p(0.3, 2.5, 0.075),
  'gemini:gemini-2.5-flash-lite': p(0.1, 0.4, 0.025),
  'gemini:gemini-2.0-flash': p(0.1, 0.4, 0.025),
  'gemini:gemini-2.0-flash-001': p(0.1, 0.4, 0.025),
  'gemini:gemini-2.0-flash-lite': p(0.075, 0.3),

  // Groq
  'groq:llama-3.3-70b-versatile': p(0.59, 0.79),
  'groq:llama-3.1-8b-instant': p(0.05, 0.08),
  'groq:openai/gpt-oss-120b': p(0.15, 0.75),
  'groq:openai/gpt-oss-20b': p(0.1, 0.5),

  // Together
  'together:meta-llama/Llama-3.3-70B-Instruct-Turbo': p(0.88, 0.88),
  'together:meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo': p(0.18, 0.18),
  'together:deepseek-ai/DeepSeek-V3': p(1.25, 1.25),
  'together:Qwen/Qwen2.5-72B-Instruct-Turbo': p(1.2, 1.2),

  // Mistral (`-latest` and `-YYMM` snapshots strip to these)
  'mistral:mistral-large': p(2, 6),
  'mistral:mistral-medium': p(0.4, 2),
  'mistral:mistral-small': p(0.1, 0.3),
  'mistral:codestral': p(0.3, 0.9),

  // xAI
  'xai:grok-4': p(3, 15, 0.75),
  'xai:grok-3': p(3, 15, 0.75),
  'xai:grok-3-mini': p(0.3, 0.5, 0.075),
  'xai:grok-code-fast-1': p(0.2, 1.5, 0.02),

  // Bedrock (on-demand, us-east-1; geo prefixes such as `us.` are stripped before lookup)
  'bedrock:anthropic.claude-sonnet-4-5-20250929-v1:0': ANTHROPIC['claude-sonnet-4-5'],
  'bedrock:anthropic.claude-sonnet-4-20250514-v1:0': ANTHROPIC['claude-sonnet-4'],
  'bedrock:anthropic.claude-opus-4-1-20250805-v1:0': ANTHROPIC['claude-opus-4-1'],
  'bedrock:anthropic.claude-haiku-4-5-20251001-v1:0': ANTHROPIC['claude-haiku-4-5'],
  'bedrock:anthropic.claude-3-5-haiku-20241022-v1:0': ANTHROPIC['claude-3-5-haiku'],
  'bedrock:amazon.nova-pro-v1:0': p(0.8, 3.2, 0.2),
  'bedrock:amazon.nova-lite-v1:0': p(0.06, 0.24, 0.015),
  'bedrock:amazon.nova-micro-v1:0': p(0.035, 0.14, 0.00875),
  'bedrock:meta.llama3-3-70b-instruct-v1:0': p(0.72, 0.72),
};

/**
 * Providers whose model ids are the same as another provider's and bill at its list price
 * (Azure OpenAI deployments named after the model). Looked up only after the provider's own keys.
 */
export const PROVIDER_PRICE_FALLBACKS: Readonly<Record<string, string>> = {
  'azure-openai': 'openai',
};
