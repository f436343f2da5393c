import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AdapterModule, ProviderAdapter } from '../spec/adapter';
import type { GatewayPlugin } from '../spec/plugin';
import { PluginBootError } from '../pipeline/plugin-registry';

/** A module the config names: a package (`@portcullis/plugin-auth`) or a path relative to the config file. */
async function loadModule(ref: string, baseDir: string): Promise<Record<string, unknown>> {
  const target = ref.startsWith('.') || isAbsolute(ref) ? resolve(baseDir, ref) : ref;
  const req = createRequire(resolve(baseDir, 'noop.js'));
  try {
    return req(target) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') {
      const resolved = req.resolve(target);
      return (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
    }
    if (code === 'MODULE_NOT_FOUND') throw new PluginBootError(`cannot load "${ref}": module not found (is it installed?)`);
    throw new PluginBootError(`cannot load "${ref}": ${(err as Error).message}`);
  }
}

const isPlugin = (v: unknown): v is GatewayPlugin<never> =>
  typeof v === 'object' && v !== null && typeof (v as GatewayPlugin).name === 'string' && 'apiVersion' in v;

/**
 * Plugin modules export `createPlugin()` (preferred: a fresh instance per gateway, so two
 * gateways in one process share no state), or a `plugin` / default export object.
 */
export async function loadPlugin(ref: string, baseDir: string): Promise<GatewayPlugin<never>> {
  const mod = await loadModule(ref, baseDir);
  const factory = mod['createPlugin'];
  if (typeof factory === 'function') {
    const plugin = (factory as () => unknown)();
    if (isPlugin(plugin)) return plugin;
    throw new PluginBootError(`"${ref}": createPlugin() did not return a plugin`);
  }
  for (const key of ['plugin', 'default']) if (isPlugin(mod[key])) return mod[key];
  throw new PluginBootError(`"${ref}" exports no plugin (expected createPlugin(), plugin or a default export)`);
}

export async function loadAdapters(ref: string, baseDir: string): Promise<ProviderAdapter[]> {
  const mod = (await loadModule(ref, baseDir)) as Partial<AdapterModule>;
  if (!Array.isArray(mod.adapters) || mod.adapters.length === 0) throw new PluginBootError(`"${ref}" exports no adapters array`);
  return mod.adapters;
}
