import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { definePlugin, endpointValidatorService, SsrfGuard, type BaseLookup, type ConfigValidator } from '@portcullis/core';
import passport, { type Authenticator } from 'passport';
import { z } from 'zod';
import { ConnectionService, type CreateOAuthConnectionInput } from './oauth/connection-service';
import { MemoryFlowStateStore, RedisFlowStateStore } from './oauth/flow-state-store';
import { RedisRefreshLock } from './oauth/refresh-lock';

/** Bound on each Redis call of the refresh lock: a slow Redis must not stall proxied requests. */
const REDIS_TIMEOUT_MS = 200;
import { createOAuthRoutes } from './oauth/oauth-routes';
import { DEFAULT_PRESETS_DIR, loadPresets, oauthPresetSchema, type OAuthPreset } from './oauth/presets';
import { validateProxyEndpointConfig, type ProxyConfigValidation } from './proxy/endpoint-config';
import { ProxyEngine } from './proxy/proxy-engine';
import { createProxyRoute } from './proxy/proxy-route';

export const apiProxyConfigSchema = z
  .object({
    /** Public base URL of the gateway, for the OAuth redirect_uri (`https://gw.example.com`). Derived from the request when absent. */
    publicBaseUrl: z.string().url().optional(),
    /** Directory of preset JSON files; default templates/oauth-presets. */
    presetsDir: z.string().min(1).optional(),
    /** Extra presets (override files of the same name). */
    presets: z.array(oauthPresetSchema).default([]),
    /** SSRF allow list for OAuth token endpoints (CIDRs, IPs, host names). */
    oauthSsrfAllow: z.array(z.string().min(1)).default([]),
    /** How long a started connect flow stays valid. */
    flowTtlMs: z.number().int().min(60_000).max(3_600_000).default(600_000),
    /** Bound on pending flows kept in memory (without Redis). */
    maxPendingFlows: z.number().int().min(10).max(1_000_000).default(10_000),
    /** Access tokens expiring within this window are refreshed before a request. */
    refreshSkewMs: z.number().int().min(0).max(3_600_000).default(60_000),
    /** How long a connection record is served from memory (disconnects on other instances apply within it). */
    connectionCacheMs: z.number().int().min(0).max(300_000).default(15_000),
    tokenTimeoutMs: z.number().int().min(500).max(120_000).default(10_000),
  })
  .strict();
export type ApiProxyConfig = z.infer<typeof apiProxyConfigSchema>;

/** What other plugins (admin-graphql) use: `host.getService<ApiProxyService>('api-proxy')`. */
export interface ApiProxyService {
  validateEndpointConfig(config: unknown): ProxyConfigValidation;
  createConnection: ConnectionService['create'];
  presets(): OAuthPreset[];
}
export type { CreateOAuthConnectionInput };

/**
 * API proxy projects: `ALL /api/:project/proxy/:slug/*` streamed to the endpoint's upstream
 * behind the SSRF guard, with OAuth connections (`/oauth/...`) whose tokens are injected.
 */
export interface ApiProxyPluginOptions {
  /** Replaces dns.lookup behind the SSRF guard (tests: a public-looking name that answers 127.0.0.1). */
  resolve?: BaseLookup;
}

export function createApiProxyPlugin(options: ApiProxyPluginOptions = {}) {
  return definePlugin<ApiProxyConfig>({
    name: 'api-proxy',
    apiVersion: 1,
    priority: 0,
    configSchema: apiProxyConfigSchema as unknown as z.ZodType<ApiProxyConfig>,
    dependsOn: ['auth'],
    setup(host, rawConfig) {
      const config = apiProxyConfigSchema.parse(rawConfig ?? {});
      const presets = loadPresets(config.presetsDir ?? DEFAULT_PRESETS_DIR, config.presets);
      const guard = new SsrfGuard({ allow: config.oauthSsrfAllow }, { resolve: options.resolve });
      const agents = {
        http: new HttpAgent({ keepAlive: true, lookup: guard.lookup }),
        https: new HttpsAgent({ keepAlive: true, lookup: guard.lookup }),
      };
      const engine = new ProxyEngine(options.resolve);
      const connections = new ConnectionService(host, {
        presets,
        refreshSkewMs: config.refreshSkewMs,
        cacheMs: config.connectionCacheMs,
        tokenTimeoutMs: config.tokenTimeoutMs,
        guard,
        agents,
        refreshLock: host.redis ? new RedisRefreshLock(host.redis, { keyPrefix: 'portcullis:oauth-refresh:', timeoutMs: REDIS_TIMEOUT_MS }) : null,
      });
      const flows = host.redis ? new RedisFlowStateStore(host.redis) : new MemoryFlowStateStore(config.maxPendingFlows);
      // One Authenticator per gateway (never passport's global instance), no sessions.
      const authenticator: Authenticator = new passport.Passport() as unknown as Authenticator;
      host.registerRoute(createProxyRoute({ host, engine, connections }));
      for (const route of createOAuthRoutes({
        host,
        connections,
        flows,
        authenticator,
        guard,
        agents,
        flowTtlMs: config.flowTtlMs,
        publicBaseUrl: config.publicBaseUrl ?? null,
      }))
        host.registerRoute(route);
      host.provide<ConfigValidator>(endpointValidatorService('api_proxy'), (config) => {
        const result = validateProxyEndpointConfig(config);
        if (result.ok) return { ok: true };
        // Its messages read `path: message`; split them back for the writer's field name.
        return { ok: false, issues: result.errors.map((e) => ({ path: e.slice(0, Math.max(0, e.indexOf(': '))).replace(/^\(config\)$/, ''), message: e.slice(e.indexOf(': ') + 2) })) };
      });
      host.provide<ApiProxyService>('api-proxy', {
        validateEndpointConfig: validateProxyEndpointConfig,
        createConnection: (input, actor) => connections.create(input, actor),
        presets: () => [...presets.values()],
      });
      return () => {
        engine.close();
        agents.http.destroy();
        agents.https.destroy();
      };
    },
  });
}
