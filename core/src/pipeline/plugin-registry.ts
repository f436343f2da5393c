import { PLUGIN_API_VERSION, type GatewayPlugin, type PluginHooks, type RequestContext } from '../spec/plugin';
import type { StreamPart } from '../spec/stream';

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

/** One plugin's hook for a phase; `order` is the plugin's position in priority order. */
export interface HookEntry<F> {
  name: string;
  order: number;
  fn: F;
}

/** A plugin's chunk hook in batch form, whichever of onChunk / onChunks it wrote. */
export type ChunkBatchHook = (ctx: RequestContext, parts: StreamPart[]) => StreamPart[];

/** Precomputed per-phase hook lists so the hot path never filters plugins per request. */
export interface HookTable {
  onRequest: HookEntry<NonNullable<PluginHooks['onRequest']>>[];
  beforeUpstream: HookEntry<NonNullable<PluginHooks['beforeUpstream']>>[];
  onChunk: HookEntry<ChunkBatchHook>[];
  onStreamEnd: HookEntry<NonNullable<PluginHooks['onStreamEnd']>>[];
  onResponse: HookEntry<NonNullable<PluginHooks['onResponse']>>[];
  onLog: HookEntry<NonNullable<PluginHooks['onLog']>>[];
  onError: HookEntry<NonNullable<PluginHooks['onError']>>[];
}

export function buildHookTable(plugins: LoadedPlugin[]): HookTable {
  const table: HookTable = { onRequest: [], beforeUpstream: [], onChunk: [], onStreamEnd: [], onResponse: [], onLog: [], onError: [] };
  plugins.forEach(({ plugin }, order) => {
    const h = plugin.hooks ?? {};
    const name = plugin.name;
    // bind() keeps `this` for plugins written as objects with methods.
    if (h.onRequest) table.onRequest.push({ name, order, fn: h.onRequest.bind(h) });
    if (h.beforeUpstream) table.beforeUpstream.push({ name, order, fn: h.beforeUpstream.bind(h) });
    const chunkHook = chunkBatchHook(h);
    if (chunkHook) table.onChunk.push({ name, order, fn: chunkHook });
    if (h.onStreamEnd) table.onStreamEnd.push({ name, order, fn: h.onStreamEnd.bind(h) });
    if (h.onResponse) table.onResponse.push({ name, order, fn: h.onResponse.bind(h) });
    if (h.onLog) table.onLog.push({ name, order, fn: h.onLog.bind(h) });
    if (h.onError) table.onError.push({ name, order, fn: h.onError.bind(h) });
  });
  return table;
}

/** onChunks as is; onChunk lifted to a batch (each part through it, in order). */
function chunkBatchHook(h: PluginHooks): ChunkBatchHook | null {
  if (h.onChunks) {
    const onChunks = h.onChunks.bind(h);
    return (ctx, parts) => onChunks(ctx, parts) ?? parts;
  }
  if (!h.onChunk) return null;
  const onChunk = h.onChunk.bind(h);
  return (ctx, parts) => {
    const out: StreamPart[] = [];
    for (const part of parts) {
      const outcome = onChunk(ctx, part);
      if (outcome === undefined) out.push(part);
      else if (outcome === null) continue;
      else if (Array.isArray(outcome)) for (const p of outcome) out.push(p);
      else out.push(outcome as StreamPart);
    }
    return out;
  };
}
