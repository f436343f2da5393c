import type { PriceEntry } from '../spec/plugin';
import { createPriceTable, InvalidPriceError } from './price-table';
import { DEFAULT_PRICES } from './default-prices';

const usage = (inputTokens: number, outputTokens: number, cachedInputTokens?: number) => ({
  inputTokens,
  outputTokens,
  totalTokens: inputTokens + outputTokens,
  ...(cachedInputTokens === undefined ? {} : { cachedInputTokens }),
});

describe('createPriceTable', () => {
  const table = createPriceTable();

  it('ships a price for every model the gateway documents', () => {
    const required = [
      'openai:gpt-4o', 'openai:gpt-4o-mini', 'openai:gpt-4.1', 'openai:gpt-4.1-mini', 'openai:gpt-4.1-nano',
      'openai:o3', 'openai:o4-mini', 'openai:gpt-5', 'openai:gpt-5-mini',
      'anthropic:claude-sonnet-4-5', 'anthropic:claude-opus-4-1', 'anthropic:claude-haiku-4-5', 'anthropic:claude-3-5-haiku',
      'gemini:gemini-2.5-pro', 'gemini:gemini-2.5-flash', 'gemini:gemini-2.0-flash',
    ];
    for (const key of required) {
      const [provider, model] = key.split(':') as [string, string];
      expect(table.get(provider, model)).not.toBeNull();
    }
    for (const [key, entry] of Object.entries(DEFAULT_PRICES)) {
      expect(entry.inputPerMTok).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(entry.outputPerMTok)).toBe(true);
      expect(key).toMatch(/^[a-z-]+:/);
    }
  });

  it('finds dated snapshots through the undated id', () => {
    expect(table.get('openai', 'gpt-4o-2024-08-06')).toEqual(table.get('openai', 'gpt-4o'));
    expect(table.get('anthropic', 'claude-sonnet-4-5-20250929')).toEqual({ inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 });
    expect(table.get('mistral', 'mistral-large-latest')).toEqual(table.get('mistral', 'mistral-large'));
  });

  it('finds Bedrock cross-region ids', () => {
    expect(table.get('bedrock', 'us.anthropic.claude-3-5-haiku-20241022-v1:0')).toEqual(table.get('anthropic', 'claude-3-5-haiku'));
  });

  it('prices azure-openai deployments named after an OpenAI model at the OpenAI list price', () => {
    expect(table.get('azure-openai', 'gpt-4o-mini')).toEqual(table.get('openai', 'gpt-4o-mini'));
  });

  it('returns null (never 0) for an unknown model or provider', () => {
    expect(table.get('openai', 'gpt-unknown')).toBeNull();
    expect(table.get('nope', 'gpt-4o')).toBeNull();
    expect(table.cost('openai', 'gpt-unknown', usage(1000, 1000))).toBeNull();
  });

  it('does not match a model under another provider', () => {
    expect(table.get('groq', 'gpt-4o')).toBeNull();
  });

  it('computes cost per 1M tokens: uncached input, cached input, output', () => {
    // gpt-4o: 2.5 in, 1.25 cached, 10 out
    expect(table.cost('openai', 'gpt-4o', usage(1_000_000, 0))).toBe(2.5);
    expect(table.cost('openai', 'gpt-4o', usage(0, 1_000_000))).toBe(10);
    // 1000 input of which 400 cached, 500 output
    const expected = (600 * 2.5 + 400 * 1.25 + 500 * 10) / 1_000_000;
    expect(table.cost('openai', 'gpt-4o', usage(1000, 500, 400))).toBeCloseTo(expected, 12);
  });

  it('bills cached tokens at the input rate when no cached price exists', () => {
    const t = createPriceTable({ 'acme:m': { inputPerMTok: 4, outputPerMTok: 8 } });
    expect(t.cost('acme', 'm', usage(1_000_000, 0, 500_000))).toBe(4);
  });

  it('clamps a cached count larger than the input count (bad upstream data) to the input', () => {
    const cost = table.cost('openai', 'gpt-4o', usage(100, 0, 1000));
    expect(cost).toBeCloseTo((100 * 1.25) / 1_000_000, 12);
  });

  it('lets overrides replace defaults and add new models', () => {
    const t = createPriceTable({
      'openai:gpt-4o': { inputPerMTok: 1, outputPerMTok: 2 },
      'ollama:*': { inputPerMTok: 0, outputPerMTok: 0 },
    });
    expect(t.get('openai', 'gpt-4o')).toEqual({ inputPerMTok: 1, outputPerMTok: 2 });
    expect(t.get('openai', 'gpt-4o-2024-05-13')).toEqual({ inputPerMTok: 1, outputPerMTok: 2 });
    expect(t.cost('ollama', 'llama3.2', usage(100, 100))).toBe(0);
    // The default table is not mutated by another table's overrides.
    expect(table.get('openai', 'gpt-4o')?.inputPerMTok).toBe(2.5);
  });

  it('prefers an exact dated override over the undated default', () => {
    const t = createPriceTable({ 'openai:gpt-4o-2024-05-13': { inputPerMTok: 5, outputPerMTok: 15 } });
    expect(t.get('openai', 'gpt-4o-2024-05-13')?.inputPerMTok).toBe(5);
    expect(t.get('openai', 'gpt-4o-2024-08-06')?.inputPerMTok).toBe(2.5);
  });

  it.each<[string, PriceEntry]>([
    ['openai:gpt-x', { inputPerMTok: -1, outputPerMTok: 1 }],
    ['openai:gpt-x', { inputPerMTok: 1, outputPerMTok: Number.NaN }],
    ['openai:gpt-x', { inputPerMTok: 1, outputPerMTok: Number.POSITIVE_INFINITY }],
    ['openai:gpt-x', { inputPerMTok: 1, outputPerMTok: 1, cachedInputPerMTok: -0.5 }],
    ['openai:gpt-x', { inputPerMTok: '1' as unknown as number, outputPerMTok: 1 }],
    ['no-colon', { inputPerMTok: 1, outputPerMTok: 1 }],
    ['openai:', { inputPerMTok: 1, outputPerMTok: 1 }],
  ])('rejects the invalid override %s %p', (key, entry) => {
    expect(() => createPriceTable({ [key]: entry })).toThrow(InvalidPriceError);
  });
});
