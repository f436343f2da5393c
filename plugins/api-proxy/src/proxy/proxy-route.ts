import type { IncomingMessage } from 'node:http';
import { GatewayError, type EndpointRecord, type PluginHost, type RouteDefinition } from '@portcullis/core';
import type { ConnectionService } from '../oauth/connection-service';
import { validateProxyEndpointConfig, type ProxyEndpointConfig } from './endpoint-config';
import { buildUpstreamRequestHeaders } from './header-policy';
import type { ProxyEngine } from './proxy-engine';
import { buildUpstreamUrl, splitProxyUrl } from './upstream-url';

export interface ProxyRouteDeps {
  host: PluginHost;
  engine: ProxyEngine;
  connections: ConnectionService;
}

/** Parsed endpoint configs, per endpoint id and version (records are immutable per version). */
class EndpointConfigCache {
  private readonly entries = new Map<string, { version: number; updatedAt: string; config: ProxyEndpointConfig | string[] }>();

  get(endpoint: EndpointRecord): ProxyEndpointConfig {
    let entry = this.entries.get(endpoint.id);
    if (!entry || entry.version !== endpoint.version || entry.updatedAt !== endpoint.updatedAt) {
      const result = validateProxyEndpointConfig(endpoint.config);
      entry = { version: endpoint.version, updatedAt: endpoint.updatedAt, config: result.ok ? result.config : result.errors };
      this.entries.set(endpoint.id, entry);
    }
    if (Array.isArray(entry.config))
      throw new GatewayError('GW_ERR_INTERNAL', { message: 'This proxy endpoint is misconfigured.', details: { endpoint: endpoint.slug, errors: entry.config } });
    return entry.config;
  }
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** `ALL /api/:project/proxy/:slug/*`: one api_proxy endpoint, streamed to its upstream. */
export function createProxyRoute(deps: ProxyRouteDeps): RouteDefinition {
  const configs = new EndpointConfigCache();
  return {
    id: 'api-proxy.forward',
    method: 'ALL',
    path: '/api/:project/proxy/:slug{/*path}',
    projectTypes: ['api_proxy'],
    scope: 'proxy',
    slugParam: 'slug',
    body: 'raw',
    async handle(ctx, io) {
      const endpoint = ctx.endpoint;
      if (!endpoint || !endpoint.active) throw new GatewayError('GW_ERR_ENDPOINT_NOT_FOUND');
      const config = configs.get(endpoint);
      ctx.logAnnotations.versions['endpoint'] = endpoint.version;
      if (!(config.methods as readonly string[]).includes(ctx.method)) {
        const allow = config.methods.join(', ');
        throw new GatewayError('GW_ERR_METHOD_NOT_ALLOWED', { message: `Method ${ctx.method} is not allowed for this endpoint; use ${allow}.`, headers: { allow } });
      }
      const target = buildUpstreamUrl({ upstream: config.upstream, ...splitProxyUrl(io.req.url ?? ''), stripPrefix: config.stripPrefix, preserveQuery: config.preserveQuery });
      const guard = deps.engine.guardFor(config.ssrfAllow);
      // Literal addresses never reach the agent's DNS check, so they are checked here too.
      guard.assertUrl(target);
      // Rate limits, budgets and guardrail plugins run before any upstream work.
      const early = await deps.host.runBeforeUpstream(ctx);
      if (early) {
        for (const [name, value] of Object.entries(early.headers ?? {})) ctx.responseHeaders.set(name, value);
        io.json(early.status, early.body);
        return;
      }
      const auth = ctx.auth!;
      const authorization = config.oauthConnection
        ? await deps.connections.authorizationFor(ctx.project!.id, config.oauthConnection, auth.subject, { type: 'token', id: auth.token.id, name: auth.token.name })
        : null;
      ctx.logAnnotations.metadata['upstreamHost'] = target.host;
      await deps.engine.forward(io.req, io.res, {
        target,
        headers: buildUpstreamRequestHeaders(ctx.headers, config, authorization),
        timeoutMs: config.timeoutMs,
        ssrfAllow: config.ssrfAllow,
        beforeHead: () => io.applyHeaders(),
        onStreamError: (err) => {
          ctx.logAnnotations.metadata['proxyError'] = 'stream_interrupted';
          ctx.logger.warn({ err: err.message }, 'proxied stream interrupted');
        },
        inspectResponse: async (response: IncomingMessage) => {
          const location = response.headers.location;
          if (!REDIRECT.has(response.statusCode ?? 0) || !location) return;
          // The gateway never follows redirects, but it refuses to hand out one that points inside.
          try {
            await guard.assertUrlResolvesPublic(new URL(location, target));
          } catch (err) {
            if (!(err instanceof GatewayError)) throw err;
            deps.host.audit.record({
              event: 'proxy.ssrf_blocked',
              severity: 'warning',
              actor: { type: 'token', id: auth.token.id, name: auth.token.name },
              projectId: ctx.project?.id ?? null,
              target: { type: 'endpoint', id: endpoint.id, name: endpoint.slug },
              metadata: { stage: 'redirect', requestId: ctx.id },
              ip: ctx.ip,
            });
            throw new GatewayError('GW_ERR_PROXY_SSRF', { status: 502, message: 'The upstream redirected to an address that is not allowed.' });
          }
        },
      });
    },
  };
}
