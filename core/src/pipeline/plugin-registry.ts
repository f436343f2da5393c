import { PLUGIN_API_VERSION, type GatewayPlugin, type PluginHooks } from '../spec/plugin';

export interface LoadedPlugin {
  plugin: GatewayPlugin<unknown>;
  config: unknown;
}

/** Thrown at boot: the gateway refuses to start rather than run without a plugin it was told to load. */
export class PluginBootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginBootError';
  }
}

/**
 * Validates plugins and their configs and orders them. A plugin with a bad config, a missing
 * dependency, a duplicate name or a different apiVersion stops boot with a message that names it.
 */
export function resolvePlugins(entries: { plugin: GatewayPlugin<unknown>; config?: unknown }[]): LoadedPlugin[] {
  const byName = new Map<string, LoadedPlugin>();
  for (const { plugin, config } of entries) {
    if (!plugin || typeof plugin.name !== 'string' || plugin.name.length === 0)
      throw new PluginBootError('a plugin module did not export a plugin with a name');
    if (plugin.apiVersion !== PLUGIN_API_VERSION)
      throw new PluginBootError(
        `plugin "${plugin.name}" targets plugin API v${String(plugin.apiVersion)}, but this gateway runs v${PLUGIN_API_VERSION}`,
      );
    if (byName.has(plugin.name)) throw new PluginBootError(`plugin "${plugin.name}" is loaded twice`);
    let parsed: unknown = config ?? {};
    if (plugin.configSchema) {
      const result = plugin.configSchema.safeParse(config ?? {});
      if (!result.success) {
        const issues = result.error.issues
          .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
          .join('; ');
        throw new PluginBootError(`plugin "${plugin.name}" has an invalid config: ${issues}`);
      }
      parsed = result.data;
    }
    byName.set(plugin.name, { plugin, config: parsed });
  }
  for (const { plugin } of byName.values()) {
    for (const dep of plugin.dependsOn ?? []) {
      if (!byName.has(dep)) throw new PluginBootError(`plugin "${plugin.name}" depends on "${dep}", which is not loaded`);
    }
  }
  // Higher priority first; ties keep config order (Array.prototype.sort is stable).
  return [...byName.values()].sort((a, b) => (b.plugin.priority ?? 0) - (a.plugin.priority ?? 0));
}

/** Precomputed per-phase hook lists so the hot path never filters plugins per request. */
export interface HookTable {
  onRequest: { name: string; fn: NonNullable<PluginHooks['onRequest']> }[];
  beforeUpstream: { name: string; fn: NonNullable<PluginHooks['beforeUpstream']> }[];
  onChunk: { name: string; fn: NonNullable<PluginHooks['onChunk']> }[];
  onStreamEnd: { name: string; fn: NonNullable<PluginHooks['onStreamEnd']> }[];
  onResponse: { name: string; fn: NonNullable<PluginHooks['onResponse']> }[];
  onLog: { name: string; fn: NonNullable<PluginHooks['onLog']> }[];
  onError: { name: string; fn: NonNullable<PluginHooks['onError']> }[];
}

export function buildHookTable(plugins: LoadedPlugin[]): HookTable {
  const table: HookTable = { onRequest: [], beforeUpstream: [], onChunk: [], onStreamEnd: [], onResponse: [], onLog: [], onError: [] };
  for (const { plugin } of plugins) {
    const h = plugin.hooks ?? {};
    const name = plugin.name;
    // bind() keeps `this` for plugins written as objects with methods.
    if (h.onRequest) table.onRequest.push({ name, fn: h.onRequest.bind(h) });
    if (h.beforeUpstream) table.beforeUpstream.push({ name, fn: h.beforeUpstream.bind(h) });
    if (h.onChunk) table.onChunk.push({ name, fn: h.onChunk.bind(h) });
    if (h.onStreamEnd) table.onStreamEnd.push({ name, fn: h.onStreamEnd.bind(h) });
    if (h.onResponse) table.onResponse.push({ name, fn: h.onResponse.bind(h) });
    if (h.onLog) table.onLog.push({ name, fn: h.onLog.bind(h) });
    if (h.onError) table.onError.push({ name, fn: h.onError.bind(h) });
  }
  return table;
}
