import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import express from 'express';
import type { ProviderAdapter } from '../spec/adapter';
import type { Logger } from '../spec/plugin';
import type { Store } from '../spec/store';
import { applyConfig, type ApplyResult } from '../config/apply';
import { ConfigError } from '../config/load-config';
import type { PortcullisConfig } from '../config/schema';
import { EnvelopeSecretBox } from '../security/envelope';
import { openTokenService } from '../security/token-pepper';
import { createStore } from '../store';
import type { MockServer } from '../testkit/mock-http';
import { createLogger } from '../util/logger';
import { resolveAppKey } from './app-key';
import type * as DevMocks from './dev-mocks';
import { createGateway, type Gateway } from './gateway';
import { applyHeapTuning } from './heap-tuning';
import { loadAdapters, loadPlugin } from './module-loader';
import type { PluginEntry } from './options';

export interface ServeOptions {
  /** Directory that relative plugin paths and the embedded store path resolve against. */
  baseDir: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Overrides config.server.port (0 = any free port; tests). */
  port?: number;
  /** Plugins and adapters as objects instead of the names in the config (embedding, tests). */
  extensions?: { plugins: PluginEntry[]; adapters: ProviderAdapter[] };
  /**
   * Serve the store as it is, without applying the config (cluster workers: their primary
   * applied it once before forking, so N workers never race to create the same records).
   */
  skipApply?: boolean;
}

export interface RunningServer {
  url: string;
  gateway: Gateway;
  server: Server;
  store: Store;
  applied: ApplyResult;
  close(): Promise<void>;
}

/** Loads plugins and adapters named in the config (package names or paths). */
/** For config writers that do not serve (`portcullis apply`, the cluster primary): load the adapters, check the credentials. */
export async function checkCredentialOptions(config: PortcullisConfig, baseDir: string): Promise<void> {
  const adapters = (await Promise.all(config.adapters.map((ref) => loadAdapters(ref, baseDir)))).flat();
  assertCredentialOptions(config, adapters);
}

export async function loadExtensions(config: PortcullisConfig, baseDir: string) {
  const plugins: PluginEntry[] = [];
  for (const ref of config.plugins) {
    const name = typeof ref === 'string' ? ref : ref.package;
    plugins.push({ plugin: await loadPlugin(name, baseDir), config: typeof ref === 'string' ? undefined : ref.config });
  }
  const adapters = (await Promise.all(config.adapters.map((ref) => loadAdapters(ref, baseDir)))).flat();
  return { plugins, adapters };
}

/**
 * Runs Portcullis standalone: opens the store, applies the declarative config, loads plugins
 * and adapters, and serves. On close (or SIGTERM) it stops accepting, lets in-flight requests
 * and streams finish, flushes logs and closes the store.
 */
export async function serve(config: PortcullisConfig, options: ServeOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const environment = config.environment ?? (env['NODE_ENV'] === 'production' ? 'production' : 'development');
  const logger = options.logger ?? createLogger();
  const storeConfig = config.store.driver === 'embedded' ? { driver: 'embedded' as const, path: resolve(options.baseDir, config.store.path) } : config.store;
  const dataDir = storeConfig.driver === 'embedded' ? dirname(storeConfig.path) : resolve(options.baseDir, 'data');
  const { appKey, previous } = resolveAppKey(env, environment, dataDir, logger);

  // Extensions first: their adapters check the config's credential options before anything is stored.
  const { plugins, adapters } = options.extensions ?? (await loadExtensions(config, options.baseDir));
  assertCredentialOptions(config, adapters);
  // Loaded only when asked for: a production gateway never loads the mock providers.
  const mocks: MockServer[] =
    config.dev && environment !== 'production' ? await (require('./dev-mocks') as typeof DevMocks).startDevMocks(config.dev.mockUpstreams) : [];
  const store = await createStore(storeConfig, logger);
  const secrets = new EnvelopeSecretBox(appKey, previous);
  let applied: ApplyResult = { created: [], updated: [], unchanged: [], generatedTokens: [] };
  try {
    if (!options.skipApply) applied = await applyConfig(config, { store, secrets, tokens: await openTokenService(store, secrets) });
  } catch (err) {
    await store.close();
    throw err;
  }
  if (plugins.length === 0) logger.warn('no plugins configured: the gateway serves only /healthz, /readyz and /metrics');
  const gateway = createGateway({
    store,
    appKey,
    appKeyPrevious: previous,
    redis: config.redis ?? null,
    plugins,
    adapters,
    logger,
    environment,
    prices: config.prices,
    shutdownTimeoutMs: config.server.shutdownTimeoutMs,
    ...(config.server.bodyLimitBytes ? { bodyLimitBytes: config.server.bodyLimitBytes } : {}),
    ...(config.upstream ? { transport: definedOnly(config.upstream) } : {}),
  });
  await gateway.ready;

  if (applyHeapTuning(config.server)) logger.info({ heapGrowingPercent: config.server.heapGrowingPercent }, 'V8 heap growth tuned');
  const app = express();
  app.disable('x-powered-by');
  app.use(config.server.basePath || '/', gateway);
  const server = createServer(app);
  // Longer than common load balancer idle timeouts, so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const port = options.port ?? config.server.port;
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, config.server.host, resolvePromise);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}${config.server.basePath}`;
  logger.info({ url }, 'portcullis listening');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Stop accepting, let in-flight requests and streams finish, then release everything.
      const stopped = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await gateway.close();
      server.closeAllConnections();
      await stopped;
      await store.close();
      await Promise.all(mocks.map((m) => m.close()));
    })());
  return { url, gateway, server, store, applied, close };
}

/** The set fields only, so an absent key keeps the transport default instead of becoming undefined. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Refuses to boot on credential options the provider's adapter rejects (Azure `auth: entra`
 * without tenantId, say), naming the field, instead of failing on the first request.
 */
export function assertCredentialOptions(config: PortcullisConfig, adapters: readonly ProviderAdapter[]): void {
  config.credentials.forEach((credential, i) => {
    const adapter = adapters.find((a) => a.providers.includes(credential.provider));
    const issues = adapter?.validateCredentialOptions?.(credential.options) ?? [];
    if (issues.length > 0)
      throw new ConfigError(issues.map((issue) => `credentials.${i}.options.${issue.option}: ${issue.message}`).join('; '));
  });
}
