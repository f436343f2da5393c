import { GatewayError } from '@portcullis/core';
import { aliasRecord, compiledEndpoint, snapshotWithAliases } from './__fixtures__/endpoints';
import { resolveEndpointTargets } from './endpoint-targets';

const providers = new Set(['openai', 'anthropic']);
const isProvider = (id: string) => providers.has(id);
const snapshot = snapshotWithAliases([aliasRecord('fast', 'openai:gpt-4o-mini', ['anthropic/claude-haiku-4-5', 'nope:model']), aliasRecord('smart', 'anthropic:claude-sonnet-4-5')]);
const resolve = (config: Record<string, unknown>) => resolveEndpointTargets(compiledEndpoint(config).config, snapshot, 'proj_1', isProvider);

describe('resolveEndpointTargets', () => {
  it('passes a lone alias to core as alias:<name> (its own fallbacks and presets apply)', () => {
    expect(resolve({ target: { alias: 'fast' } })).toEqual({ model: 'alias:fast', options: {} });
  });

  it('pins provider, model and credential as explicit targets', () => {
    expect(resolve({ target: { provider: 'openai', model: 'gpt-4o', credential: 'openai-main' } })).toEqual({
      model: 'openai:gpt-4o',
      options: { targets: [{ provider: 'openai', model: 'gpt-4o', credential: 'openai-main' }] },
    });
  });

  it('appends fallbacks in order, expanding aliases and skipping unknown providers and aliases', () => {
    const resolved = resolve({
      target: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      fallbacks: [{ alias: 'fast' }, { alias: 'missing' }, { provider: 'openai', model: 'gpt-4o' }],
    });
    expect(resolved.options.targets).toEqual([
      { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      { provider: 'openai', model: 'gpt-4o-mini' },
      { provider: 'anthropic', model: 'claude-haiku-4-5' },
      { provider: 'openai', model: 'gpt-4o' },
    ]);
  });

  it('expands an alias primary when the endpoint adds fallbacks', () => {
    const resolved = resolve({ target: { alias: 'smart' }, fallbacks: [{ provider: 'openai', model: 'gpt-4o-mini' }] });
    expect(resolved).toEqual({
      model: 'anthropic:claude-sonnet-4-5',
      options: { targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }, { provider: 'openai', model: 'gpt-4o-mini' }] },
    });
  });

  it('fails clearly when the primary alias does not exist', () => {
    expect(() => resolve({ target: { alias: 'missing' }, fallbacks: [{ provider: 'openai', model: 'gpt-4o' }] })).toThrow(GatewayError);
    expect(() => resolve({ target: { alias: 'missing' }, fallbacks: [{ provider: 'openai', model: 'gpt-4o' }] })).toThrow('alias "missing" does not exist');
  });
});
