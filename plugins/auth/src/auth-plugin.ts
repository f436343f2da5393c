import { definePlugin, GatewayError, type PluginHost, type RequestContext, type TokenRecord } from '@portcullis/core';
import { z } from 'zod';
import { extractApiKey } from './bearer';
import { LastUsedTracker } from './last-used-tracker';

export const authConfigSchema = z
  .object({
    /** How often lastUsedAt is written back (ms). */
    lastUsedFlushMs: z.number().int().min(1000).default(10_000),
  })
  .strict();
export type AuthConfig = z.infer<typeof authConfigSchema>;

/**
 * Bearer-token authentication. A token is looked up by its HMAC in the in-memory snapshot
 * (no store round trip), then checked for project, state, expiry, scope and endpoint allowlist.
 * A token of another project gets the same answer as an unknown token, so nothing reveals
 * that the other project exists.
 */
export function createAuthPlugin() {
  let host: PluginHost | null = null;
  let tracker: LastUsedTracker | null = null;

  const deny = (ctx: RequestContext, code: 'GW_ERR_AUTH_INVALID' | 'GW_ERR_AUTH_MISSING', event: string, token: TokenRecord | null): never => {
    host?.audit.record({
      event,
      severity: 'warning',
      actor: token ? { type: 'token', id: token.id, name: token.name } : { type: 'anonymous' },
      projectId: ctx.project?.id ?? null,
      target: { type: 'route', id: ctx.route.id },
      metadata: { requestId: ctx.id },
      ip: ctx.ip,
    });
    throw new GatewayError(code);
  };

  return definePlugin<AuthConfig>({
    name: 'auth',
    apiVersion: 1,
    priority: 1000,
    configSchema: authConfigSchema,
    setup(h, config) {
      host = h;
      tracker = new LastUsedTracker(h.store, h.logger, config.lastUsedFlushMs);
      tracker.start();
      const t = tracker;
      return () => t.stop();
    },
    hooks: {
      onRequest(ctx) {
        if (ctx.route.public) return;
        const presented = extractApiKey(ctx.headers);
        if (!presented) return deny(ctx, 'GW_ERR_AUTH_MISSING', 'auth.token_missing', null);
        const presentedHash = host!.tokens.hash(presented);
        const token = ctx.snapshot.tokensByHash.get(presentedHash);
        if (!token) return deny(ctx, 'GW_ERR_AUTH_INVALID', 'auth.token_invalid', null);
        if (ctx.project && token.projectId !== ctx.project.id) return deny(ctx, 'GW_ERR_AUTH_INVALID', 'auth.token_invalid', null);
        const now = Date.now();
        const viaPrevious = token.previousHash === presentedHash && token.hash !== presentedHash;
        if (viaPrevious && (!token.previousExpiresAt || Date.parse(token.previousExpiresAt) <= now))
          return deny(ctx, 'GW_ERR_AUTH_INVALID', 'auth.token_invalid', token);
        if (token.revokedAt) {
          host!.audit.record({ event: 'auth.token_revoked_used', severity: 'warning', actor: { type: 'token', id: token.id, name: token.name }, projectId: token.projectId, ip: ctx.ip });
          throw new GatewayError('GW_ERR_AUTH_REVOKED');
        }
        if (!token.active) throw new GatewayError('GW_ERR_AUTH_INACTIVE');
        if (token.expiresAt && Date.parse(token.expiresAt) <= now) throw new GatewayError('GW_ERR_AUTH_EXPIRED');
        const scopes = new Set(token.scopes);
        ctx.auth = { kind: 'token', token, scopes, subject: token.subject ?? null };
        tracker?.touch(token.id, new Date(now).toISOString());
        if (ctx.route.scope && !scopes.has(ctx.route.scope) && !scopes.has('*')) {
          host!.audit.record({
            event: 'auth.scope_missing',
            severity: 'warning',
            actor: { type: 'token', id: token.id, name: token.name },
            projectId: token.projectId,
            target: { type: 'route', id: ctx.route.id },
            metadata: { required: ctx.route.scope },
            ip: ctx.ip,
          });
          throw new GatewayError('GW_ERR_AUTH_SCOPE', { message: `This API key lacks the "${ctx.route.scope}" scope.` });
        }
        const slug = ctx.route.endpointSlug;
        if (slug && token.endpointAllowlist.length > 0 && !token.endpointAllowlist.includes(slug))
          throw new GatewayError('GW_ERR_AUTH_ENDPOINT_DENIED');
      },
    },
  });
}
