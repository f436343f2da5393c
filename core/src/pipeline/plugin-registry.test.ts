import { z } from 'zod';
import type { GatewayPlugin } from '../spec/plugin';
import { buildHookTable, PluginBootError, resolvePlugins } from './plugin-registry';

const p = (over: Partial<GatewayPlugin<unknown>>): GatewayPlugin<unknown> => ({ name: 'x', apiVersion: 1, ...over });

describe('resolvePlugins', () => {
  it('validates each config with the plugin schema and returns the parsed value (defaults applied)', () => {
    const plugin = p({ name: 'limits', configSchema: z.object({ rpm: z.number().default(60) }) });
    expect(resolvePlugins([{ plugin }])[0]!.config).toEqual({ rpm: 60 });
  });

  it('stops boot on a bad config, naming the plugin and the field', () => {
    const plugin = p({ name: 'limits', configSchema: z.object({ rpm: z.number() }).strict() });
    expect(() => resolvePlugins([{ plugin, config: { rpm: 'lots' } }])).toThrow(PluginBootError);
    expect(() => resolvePlugins([{ plugin, config: { rpm: 'lots' } }])).toThrow(/plugin "limits" has an invalid config: rpm:/);
    expect(() => resolvePlugins([{ plugin, config: { rpm: 1, typo: true } }])).toThrow(/plugin "limits" has an invalid config/);
  });

  it('stops boot on a missing dependency', () => {
    expect(() => resolvePlugins([{ plugin: p({ name: 'budgets', dependsOn: ['auth'] }) }])).toThrow(/"budgets" depends on "auth", which is not loaded/);
  });

  it('stops boot on an apiVersion mismatch', () => {
    expect(() => resolvePlugins([{ plugin: { name: 'future', apiVersion: 2 } as unknown as GatewayPlugin<unknown> }])).toThrow(/targets plugin API v2/);
  });

  it('stops boot on a duplicate name or a nameless plugin', () => {
    expect(() => resolvePlugins([{ plugin: p({ name: 'a' }) }, { plugin: p({ name: 'a' }) }])).toThrow(/loaded twice/);
    expect(() => resolvePlugins([{ plugin: p({ name: '' }) }])).toThrow(/did not export a plugin with a name/);
  });

  it('orders by priority, higher first, keeping config order for ties', () => {
    const order = resolvePlugins([
      { plugin: p({ name: 'low', priority: 1 }) },
      { plugin: p({ name: 'high', priority: 900 }) },
      { plugin: p({ name: 'tie-a', priority: 500 }) },
      { plugin: p({ name: 'tie-b', priority: 500 }) },
    ]).map((l) => l.plugin.name);
    expect(order).toEqual(['high', 'tie-a', 'tie-b', 'low']);
  });
});

it('buildHookTable lists each phase only with the plugins that hook it, in order', () => {
  const loaded = resolvePlugins([
    { plugin: p({ name: 'a', priority: 2, hooks: { onRequest: () => undefined, onLog: () => undefined } }) },
    { plugin: p({ name: 'b', priority: 1, hooks: { onRequest: () => undefined } }) },
  ]);
  const table = buildHookTable(loaded);
  expect(table.onRequest.map((h) => h.name)).toEqual(['a', 'b']);
  expect(table.onLog.map((h) => h.name)).toEqual(['a']);
  expect(table.onChunk).toEqual([]);
});
