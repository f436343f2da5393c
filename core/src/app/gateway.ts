import { randomUUID } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Redis } from 'ioredis';
import type { ProviderAdapter } from '../spec/adapter';
import type { PluginHost, RouteDefinition, Teardown } from '../spec/plugin';
import { PLUGIN_API_VERSION } from '../spec/plugin';
import type { Store } from '../spec/store';
import { GatewayError } from '../errors/gateway-error';
import { SnapshotConfigService } from '../config/config-service';
import { CredentialExchangeCache, lazyIdentityHttpClient } from '../llm/credential-exchange';
import { CredentialCache, ModelRouter } from '../llm/model-router';
import { GatewayLlmService } from '../llm/llm-service';
import { DEFAULT_RETRY_POLICY } from '../llm/upstream-call';
import { QueuedAuditSink } from '../logs/audit-sink';
import { DEFAULT_LOG_QUEUE_OPTIONS, RequestLogQueue } from '../logs/log-queue';
import { PrometheusRegistry } from '../metrics/registry';
import { runGateHooks } from '../pipeline/hook-runner';
import { buildHookTable, PluginBootError, resolvePlugins, type HookTable, type LoadedPlugin } from '../pipeline/plugin-registry';
import { createPriceTable } from '../pricing';
import { EnvelopeSecretBox } from '../security/envelope';
import { openTokenService } from '../security/token-pepper';
import { createStore } from '../store';
import { DEFAULT_TRANSPORT_OPTIONS, Transport } from '../upstream/transport';
import { createLogger } from '../util/logger';
import type { GatewayOptions } from './options';
import type { StoreConfig } from '../store/create-store';
import { RouteHandlerFactory } from './route-handler';

export interface Gateway extends Router {
  /** Resolves when the store is open, the snapshot loaded and every plugin set up; rejects on a boot failure. */
  readonly ready: Promise<void>;
  readonly instanceId: string;
  /** The plugin host (available once ready). */
  readonly host: PluginHost;
  /** Stops taking requests, finishes in-flight ones (streams too), flushes logs, closes stores. */
  close(): Promise<void>;
}

const isStore = (s: Store | StoreConfig): s is Store => typeof (s as Store).ping === 'function';
/** A caller's own ioredis client, told apart from `{ url }` without loading ioredis for an instanceof. */
const isRedisClient = (r: GatewayOptions['redis']): r is Redis => typeof r === 'object' && r !== null && typeof (r as Redis).sendCommand === 'function';

/**
 * Builds a gateway as an Express Router that mounts anywhere (`app.use('/llm', gateway)`).
 * Everything it needs is created here and owned by the returned object: two gateways in one
 * process share nothing.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const instanceId = randomUUID();
  const logger = (options.logger ?? createLogger()).child({ gateway: instanceId.slice(0, 8) });
  const environment = options.environment ?? (process.env['NODE_ENV'] === 'production' ? 'production' : 'development');
  // Plugin configs are checked now, synchronously: a bad config never yields a half-started gateway.
  const plugins: LoadedPlugin[] = resolvePlugins((options.plugins ?? []).map((e) => ({ plugin: e.plugin as never, config: e.config })));
  const adapters = new Map<string, ProviderAdapter>();
  for (const adapter of options.adapters ?? []) {
    if (adapter.specVersion !== 'v1') throw new PluginBootError(`adapter for ${adapter.providers.join(',')} targets spec ${String(adapter.specVersion)}, expected v1`);
    for (const id of adapter.providers) {
      if (adapters.has(id)) throw new PluginBootError(`two adapters claim the provider "${id}"`);
      adapters.set(id, adapter);
    }
  }
  if (!options.appKey) throw new PluginBootError('APP_KEY is required to encrypt secrets at rest');
  const secrets = new EnvelopeSecretBox(options.appKey, options.appKeyPrevious ?? []);

  const router = express.Router() as Gateway;
  const pluginRoutes = express.Router();
  const mounted = express.Router();
  let hooks: HookTable = buildHookTable(plugins);
  let host: PluginHost | null = null;
  const teardowns: Teardown[] = [];
  const routes = new RouteHandlerFactory({ logger, bodyLimitBytes: options.bodyLimitBytes ?? 10 * 1024 * 1024, hooks: () => hooks });
  const metrics = new PrometheusRegistry();
  const transport = new Transport({ ...DEFAULT_TRANSPORT_OPTIONS, ...options.transport });
  // Token requests to identity providers (Entra ID) get their own short-timeout pool, opened on first use.
  const identityHttp = lazyIdentityHttpClient();
  let store: Store | null = null;
  let redis: Redis | null = null;
  let ownsRedis = false;
  let config: SnapshotConfigService | null = null;
  let logQueue: RequestLogQueue | null = null;
  let audit: QueuedAuditSink | null = null;

  const boot = async (): Promise<void> => {
    store = isStore(options.store) ? options.store : await createStore(options.store, logger);
    if (isRedisClient(options.redis)) redis = options.redis;
    else if (options.redis && 'url' in options.redis) {
      // Loaded only when Redis is configured: ioredis and what it pulls in cost ~10 MB of RSS at load
      // (85.9 -> 76.2 MB after requiring core; bench/README "Session 4 check") in a gateway without Redis.
      const { Redis } = await import('ioredis');
      redis = new Redis(options.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
      redis.on('error', (err) => logger.warn({ err }, 'redis error'));
      ownsRedis = true;
      await redis.connect();
    }
    // The token pepper is random per deployment and kept encrypted, so APP_KEY rotation keeps tokens valid.
    const tokens = await openTokenService(store, secrets);
    config = new SnapshotConfigService({ store, logger, instanceId, redis, refreshIntervalMs: options.configRefreshIntervalMs ?? 30_000 });
    await config.start();
    logQueue = new RequestLogQueue(store.requestLogs, logger, { ...DEFAULT_LOG_QUEUE_OPTIONS, ...options.logQueue });
    audit = new QueuedAuditSink(store.audit, logger);
    const prices = createPriceTable(options.prices);
    const llm = new GatewayLlmService({
      adapters,
      router: new ModelRouter(adapters, new CredentialCache(secrets), new CredentialExchangeCache({ http: identityHttp })),
      transport,
      hooks: () => hooks,
      prices,
      config,
      retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    });
    const services = new Map<string, unknown>();
    const openStore = store;
    const openConfig = config;
    const openAudit = audit;
    routes.attach({ config: openConfig, logQueue, metrics });
    const h: PluginHost = {
      apiVersion: PLUGIN_API_VERSION,
      instanceId,
      logger,
      store: openStore,
      config: openConfig,
      secrets,
      tokens,
      audit: openAudit,
      metrics,
      prices,
      llm,
      redis,
      environment,
      registerRoute: (route: RouteDefinition) => registerRoute(route),
      mount: (path: string, handler: RequestHandler) => {
        mounted.use(path, handler);
      },
      runBeforeUpstream: (ctx) => runGateHooks(hooks.beforeUpstream, ctx),
      getService: <T>(name: string) => services.get(name) as T | undefined,
      provide: <T>(name: string, service: T) => {
        if (services.has(name)) throw new PluginBootError(`service "${name}" is provided twice`);
        services.set(name, service);
      },
    };
    host = h;
    for (const { plugin, config: pluginConfig } of plugins) {
      try {
        const teardown = await plugin.setup?.(h, pluginConfig as never);
        if (typeof teardown === 'function') teardowns.push(teardown);
      } catch (err) {
        throw new PluginBootError(`plugin "${plugin.name}" failed to set up: ${(err as Error).message}`);
      }
    }
    hooks = buildHookTable(plugins);
    logger.info({ plugins: plugins.map((p) => p.plugin.name), providers: [...adapters.keys()] }, 'gateway ready');
  };

  const registerRoute = (route: RouteDefinition): void => {
    const handler = routes.create(route);
    const method = route.method === 'ALL' ? 'all' : (route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options');
    pluginRoutes[method](route.path, handler);
    if (route.method !== 'ALL') pluginRoutes.all(route.path, routes.methodNotAllowed(route.method));
  };

  const ready = boot();
  // The failure is reported through `ready` and every request; this stops an unhandled rejection.
  ready.catch((err: unknown) => logger.error({ err }, 'gateway failed to start'));

  router.use(((req, res, next) => {
    if (routes.accepting && host) return next();
    ready.then(
      () => (routes.accepting ? next() : routes.sendError(req, res, new GatewayError('GW_ERR_SHUTTING_DOWN'))),
      () => routes.sendError(req, res, new GatewayError('GW_ERR_STORE_UNAVAILABLE', { message: 'The gateway failed to start.' })),
    );
  }) as RequestHandler);
  router.get('/healthz', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (async (_req: Request, res: Response) => {
    const checks: Record<string, string> = { config: config ? 'ok' : 'not loaded' };
    try {
      await store?.ping();
      checks['store'] = 'ok';
    } catch {
      checks['store'] = 'unreachable';
    }
    if (redis) checks['redis'] = await redis.ping().then(() => 'ok', () => 'unreachable');
    const ok = Object.values(checks).every((v) => v === 'ok') && routes.accepting;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  }) as RequestHandler);
  const metricsPath = options.metricsPath ?? '/metrics';
  if (metricsPath) router.get(metricsPath, (_req: Request, res: Response) => {
    res.type('text/plain; version=0.0.4').send(metrics.render());
  });
  router.use(pluginRoutes);
  router.use(mounted);
  router.use('/api', routes.notFound());
  router.use('/v1', routes.notFound());

  Object.defineProperty(router, 'ready', { value: ready });
  Object.defineProperty(router, 'instanceId', { value: instanceId });
  Object.defineProperty(router, 'host', {
    get: () => {
      if (!host) throw new Error('the gateway is not ready yet: await gateway.ready');
      return host;
    },
  });
  let closing: Promise<void> | null = null;
  Object.defineProperty(router, 'close', {
    value: () =>
      (closing ??= (async () => {
        routes.accepting = false;
        await ready.catch(() => undefined);
        await routes.drain(options.shutdownTimeoutMs ?? 30_000);
        for (const teardown of teardowns.reverse()) {
          try {
            await teardown();
          } catch (err) {
            logger.error({ err }, 'plugin teardown failed');
          }
        }
        await logQueue?.close();
        await audit?.flush();
        await config?.stop();
        await transport.close();
        await identityHttp.close();
        if (ownsRedis) redis?.disconnect();
        if (!isStore(options.store)) await store?.close();
        logger.info('gateway closed');
      })()),
  });
  return router;
}
