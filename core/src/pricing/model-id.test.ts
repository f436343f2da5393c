import { modelIdCandidates, stripBedrockGeoPrefix, stripDateSuffix } from './model-id';

describe('stripDateSuffix', () => {
  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
    ['mistral-large-2411', 'mistral-large'],
    ['gpt-4-0613', 'gpt-4'],
    ['mistral-small-latest', 'mistral-small'],
  ])('%s -> %s', (input, expected) => {
    expect(stripDateSuffix(input)).toBe(expected);
  });

  it.each(['gpt-4o', 'gemini-2.0-flash-001', 'o3', 'gpt-4.1-nano', 'claude-sonnet-4-5'])('leaves %s alone', (id) => {
    expect(stripDateSuffix(id)).toBe(id);
  });
});

describe('stripBedrockGeoPrefix', () => {
  it('removes a cross-region inference prefix', () => {
    expect(stripBedrockGeoPrefix('us.anthropic.claude-3-5-haiku-20241022-v1:0')).toBe('anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(stripBedrockGeoPrefix('eu.amazon.nova-pro-v1:0')).toBe('amazon.nova-pro-v1:0');
  });
  it('keeps vendor prefixes', () => {
    expect(stripBedrockGeoPrefix('amazon.nova-pro-v1:0')).toBe('amazon.nova-pro-v1:0');
  });
});

describe('modelIdCandidates', () => {
  it('lists the exact id before the undated one, without duplicates', () => {
    expect(modelIdCandidates('openai', 'gpt-4o-2024-08-06')).toEqual(['gpt-4o-2024-08-06', 'gpt-4o']);
    expect(modelIdCandidates('openai', 'gpt-4o')).toEqual(['gpt-4o']);
  });
  it('strips Bedrock geo prefixes only for bedrock', () => {
    expect(modelIdCandidates('bedrock', 'us.amazon.nova-pro-v1:0')).toEqual(['us.amazon.nova-pro-v1:0', 'amazon.nova-pro-v1:0']);
    expect(modelIdCandidates('openai', 'us.model')).toEqual(['us.model']);
  });
});
