import type { IncomingMessage } from 'node:http';
import { GatewayError, type PluginHost, type RequestContext, type TokenRecord } from '@portcullis/core';

/**
 * Authenticates whoever starts a connect flow. The route is public (a browser navigation
 * cannot send an Authorization header), so the token comes as `?token=` or a Bearer header;
 * it must be a live token of the connection's project with the `proxy` scope, so an anonymous
 * visitor cannot start flows for a project, and the token's subject decides whose account is
 * connected.
 */
export function authenticateFlowStarter(host: PluginHost, ctx: RequestContext, req: IncomingMessage): TokenRecord {
  const header = ctx.headers.authorization;
  const bearer = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  const presented = bearer ?? new URL(req.url ?? '/', 'http://gateway.invalid').searchParams.get('token');
  if (!presented) throw new GatewayError('GW_ERR_AUTH_MISSING', { message: 'Starting an OAuth connection needs a project token: pass ?token=<token> or an Authorization: Bearer header.' });
  const hash = host.tokens.hash(presented);
  const token = ctx.snapshot.tokensByHash.get(hash);
  const deny = (code: 'GW_ERR_AUTH_INVALID' | 'GW_ERR_AUTH_REVOKED' | 'GW_ERR_AUTH_INACTIVE' | 'GW_ERR_AUTH_EXPIRED' | 'GW_ERR_AUTH_SCOPE'): never => {
    host.audit.record({
      event: 'oauth_connection.start_denied',
      severity: 'warning',
      actor: token ? { type: 'token', id: token.id, name: token.name } : { type: 'anonymous' },
      projectId: token?.projectId ?? null,
      target: { type: 'route', id: ctx.route.id },
      metadata: { reason: code },
      ip: ctx.ip,
    });
    throw new GatewayError(code);
  };
  if (!token) return deny('GW_ERR_AUTH_INVALID');
  const now = Date.now();
  if (token.hash !== hash && (!token.previousExpiresAt || Date.parse(token.previousExpiresAt) <= now)) return deny('GW_ERR_AUTH_INVALID');
  if (token.revokedAt) return deny('GW_ERR_AUTH_REVOKED');
  if (!token.active) return deny('GW_ERR_AUTH_INACTIVE');
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return deny('GW_ERR_AUTH_EXPIRED');
  if (!token.scopes.includes('proxy') && !token.scopes.includes('*')) return deny('GW_ERR_AUTH_SCOPE');
  const project = ctx.snapshot.projects.get(token.projectId);
  if (!project) return deny('GW_ERR_AUTH_INVALID');
  if (!project.active) throw new GatewayError('GW_ERR_PROJECT_INACTIVE');
  ctx.project = project;
  ctx.auth = { kind: 'token', token, scopes: new Set(token.scopes), subject: token.subject ?? null };
  return token;
}
