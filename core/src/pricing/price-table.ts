import type { Usage } from '../spec/chat';
import type { PriceEntry, PriceTable } from '../spec/plugin';
import { DEFAULT_PRICES, PROVIDER_PRICE_FALLBACKS } from './default-prices';
import { modelIdCandidates } from './model-id';

const PER_MILLION = 1_000_000;

/** Thrown at construction for an override that cannot be a price (config error, caught at boot). */
export class InvalidPriceError extends Error {
  constructor(key: string, reason: string) {
    super(`price "${key}": ${reason}`);
    this.name = 'InvalidPriceError';
  }
}

function assertValidEntry(key: string, entry: PriceEntry): void {
  if (!/^[^:\s]+:\S+$/.test(key)) throw new InvalidPriceError(key, 'key must be "provider:model" (model may be "*")');
  const fields: [string, unknown][] = [
    ['inputPerMTok', entry.inputPerMTok],
    ['outputPerMTok', entry.outputPerMTok],
  ];
  if (entry.cachedInputPerMTok !== undefined) fields.push(['cachedInputPerMTok', entry.cachedInputPerMTok]);
  for (const [name, value] of fields) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new InvalidPriceError(key, `${name} must be a finite number >= 0`);
    }
  }
}

/**
 * A price table over the shipped defaults plus operator overrides (`provider:model` -> price;
 * `provider:*` prices every model of a provider, e.g. a self-hosted Ollama at 0).
 * Lookup order: exact id, then the id with a date suffix stripped, each first among overrides
 * then defaults; then the provider wildcard; then a provider that shares list prices
 * (azure-openai -> openai). Unknown is null, never 0.
 */
export function createPriceTable(overrides: Record<string, PriceEntry> = {}): PriceTable {
  for (const [key, entry] of Object.entries(overrides)) assertValidEntry(key, entry);
  const entries = new Map<string, PriceEntry>([...Object.entries(DEFAULT_PRICES), ...Object.entries(overrides)]);

  const lookup = (provider: string, model: string): PriceEntry | null => {
    for (const id of modelIdCandidates(provider, model)) {
      const hit = entries.get(`${provider}:${id}`);
      if (hit) return hit;
    }
    return entries.get(`${provider}:*`) ?? null;
  };

  const get = (provider: string, model: string): PriceEntry | null => {
    const own = lookup(provider, model);
    if (own) return own;
    const sibling = PROVIDER_PRICE_FALLBACKS[provider];
    return sibling ? lookup(sibling, model) : null;
  };

  const cost = (provider: string, model: string, usage: Usage): number | null => {
    const price = get(provider, model);
    if (!price) return null;
    const cached = Math.min(Math.max(usage.cachedInputTokens ?? 0, 0), usage.inputTokens);
    const uncachedInput = usage.inputTokens - cached;
    const usd =
      (uncachedInput * price.inputPerMTok +
        cached * (price.cachedInputPerMTok ?? price.inputPerMTok) +
        usage.outputTokens * price.outputPerMTok) /
      PER_MILLION;
    // Round away float noise (0.1 + 0.2) at a precision far below a cent.
    return Math.round(usd * 1e10) / 1e10;
  };

  return { get, cost };
}
