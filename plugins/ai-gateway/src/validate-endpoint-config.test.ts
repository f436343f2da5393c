import { validateEndpointConfig } from './validate-endpoint-config';

const issuesOf = (config: unknown) => {
  const result = validateEndpointConfig(config);
  return result.ok ? [] : result.issues;
};

describe('validateEndpointConfig', () => {
  it('accepts a pinned target and fills the defaults', () => {
    const result = validateEndpointConfig({ target: { provider: 'openai', model: 'gpt-4o-mini', credential: 'openai-main' } });
    expect(result).toEqual({
      ok: true,
      config: { target: { provider: 'openai', model: 'gpt-4o-mini', credential: 'openai-main' }, fallbacks: [], template: '{{input}}', stream: true },
    });
  });

  it('accepts an alias target with mixed fallbacks, schemas and presets', () => {
    const result = validateEndpointConfig({
      target: { alias: 'fast' },
      fallbacks: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }, { alias: 'backup' }],
      systemPrompt: 'Be brief.',
      template: 'Summarize for {{audience}}: {{input}}',
      inputSchema: { type: 'object', properties: { audience: { type: 'string' } }, required: ['audience'] },
      outputSchema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] },
      stream: false,
      temperature: 0.3,
      max_tokens: 200,
    });
    expect(result.ok).toBe(true);
  });

  it('refuses a config without a target', () => {
    expect(issuesOf({ template: '{{input}}' })).toEqual([expect.objectContaining({ path: 'target' })]);
  });

  it('refuses a target that is neither pinned nor an alias', () => {
    expect(issuesOf({ target: { provider: 'openai' } })).toEqual([expect.objectContaining({ path: 'target' })]);
    expect(issuesOf({ target: { alias: 'fast', model: 'x' } })).toEqual([expect.objectContaining({ path: 'target' })]);
  });

  it('refuses unknown keys (a typo must not drop a setting)', () => {
    expect(issuesOf({ target: { alias: 'fast' }, outputSchmea: {} })).toEqual([expect.objectContaining({ message: expect.stringContaining('outputSchmea') })]);
  });

  it('refuses presets out of range', () => {
    expect(issuesOf({ target: { alias: 'fast' }, temperature: 3 }).map((i) => i.path)).toEqual(['temperature']);
    expect(issuesOf({ target: { alias: 'fast' }, max_tokens: 0 }).map((i) => i.path)).toEqual(['max_tokens']);
    expect(issuesOf({ target: { alias: 'fast' }, stream: 'yes' }).map((i) => i.path)).toEqual(['stream']);
  });

  it('refuses a template that does not parse', () => {
    expect(issuesOf({ target: { alias: 'fast' }, template: '{{#a}} never closed' })).toEqual([{ path: 'template', message: expect.stringContaining('Unclosed section') }]);
  });

  it('refuses JSON Schemas that do not compile, naming which one', () => {
    expect(issuesOf({ target: { alias: 'fast' }, outputSchema: { type: 'bogus' } }).map((i) => i.path)).toEqual(['outputSchema']);
    expect(issuesOf({ target: { alias: 'fast' }, inputSchema: { properties: 5 } }).map((i) => i.path)).toEqual(['inputSchema']);
  });

  it('refuses an input schema that does not describe an object', () => {
    expect(issuesOf({ target: { alias: 'fast' }, inputSchema: { type: 'string' } }).map((i) => i.path)).toEqual(['inputSchema.type']);
  });

  it('refuses a config that is not an object', () => {
    expect(validateEndpointConfig('nope').ok).toBe(false);
    expect(validateEndpointConfig(null).ok).toBe(false);
  });
});
