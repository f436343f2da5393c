import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Agent, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { GatewayError, type PluginHost, type RequestContext, type RouteDefinition, type SsrfGuard } from '@portcullis/core';
import type { Authenticator } from 'passport';
import type { ConnectionService } from './connection-service';
import { authenticateFlowStarter } from './flow-auth';
import type { FlowStateStore, PendingFlow } from './flow-state-store';
import { buildStrategy, runPassport, type FlowStateAdapter } from './passport-flow';

export interface OAuthRouteDeps {
  host: PluginHost;
  connections: ConnectionService;
  flows: FlowStateStore;
  authenticator: Authenticator;
  guard: SsrfGuard;
  agents: { http: Agent; https: Agent };
  flowTtlMs: number;
  /** Public base URL of the gateway (`https://gw.example.com/llm`); derived from the request when absent. */
  publicBaseUrl: string | null;
}

const COOKIE_PREFIX = 'pc_oauth_';
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The flow's browser-binding cookie is named after the state, so parallel flows do not collide. */
const cookieName = (handle: string): string => `${COOKIE_PREFIX}${sha256(handle).slice(0, 16)}`;

function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** Where the provider sends the browser back: the gateway's /oauth/callback under its mount path. */
function callbackUrl(req: IncomingMessage, publicBaseUrl: string | null): string {
  if (publicBaseUrl) return `${publicBaseUrl.replace(/\/+$/, '')}/oauth/callback`;
  const proto = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  const mount = (req as IncomingMessage & { baseUrl?: string }).baseUrl ?? '';
  return `${proto}://${req.headers.host ?? 'localhost'}${mount}/oauth/callback`;
}

const queryOf = (req: IncomingMessage): URLSearchParams => new URL(req.url ?? '/', 'http://gateway.invalid').searchParams;

/**
 * OAuth connection routes:
 *  GET  /oauth/:connection/connect     start (public route; a project token in ?token= or Bearer)
 *  GET  /oauth/callback                the provider's redirect back (public; state + browser binding)
 *  POST /oauth/:connection/disconnect  clear the tokens (authenticated, `proxy` scope)
 */
export function createOAuthRoutes(deps: OAuthRouteDeps): RouteDefinition[] {
  const { host, connections, flows } = deps;
  const agentFor = (url: string): Agent => (url.startsWith('https:') ? deps.agents.https : deps.agents.http);

  const connect: RouteDefinition = {
    id: 'api-proxy.oauth.connect',
    method: 'GET',
    path: '/oauth/:connection/connect',
    public: true,
    body: 'none',
    async handle(ctx, io) {
      const token = authenticateFlowStarter(host, ctx, io.req);
      const name = ctx.params['connection'] ?? '';
      const subject = token.subject ?? null;
      const record = await connections.forFlow(token.projectId, name, subject);
      if (!record) throw new GatewayError('GW_ERR_ENDPOINT_NOT_FOUND', { message: `OAuth connection "${name}" not found.` });
      const redirectUri = callbackUrl(io.req, deps.publicBaseUrl);
      const handle = randomBytes(32).toString('base64url');
      const binding = randomBytes(32).toString('base64url');
      const stateStore: FlowStateAdapter = {
        store(_req, verifier, _state, _meta, callback) {
          const flow: PendingFlow = {
            connectionId: record.id,
            projectId: record.projectId,
            subject,
            redirectUri,
            verifier: verifier ?? null,
            bindingHash: sha256(binding),
            startedByTokenId: token.id,
          };
          flows.put(handle, flow, deps.flowTtlMs).then(() => callback(null, handle), (err: Error) => callback(err));
        },
        verify(_req, _state, _meta, callback) {
          callback(new Error('the connect route never verifies state'), false);
        },
      };
      const strategy = buildStrategy({
        record,
        clientSecret: host.secrets.decrypt(record.clientSecretEnc),
        preset: connections.presetFor(record),
        redirectUri,
        stateStore,
        agent: agentFor(record.tokenUrl),
      });
      const callbackPath = new URL(redirectUri).pathname;
      // Binds the flow to this browser: a victim lured to someone else's authorize URL has no cookie.
      io.res.setHeader('set-cookie', `${cookieName(handle)}=${binding}; Path=${callbackPath}; Max-Age=${Math.floor(deps.flowTtlMs / 1000)}; HttpOnly; SameSite=Lax${redirectUri.startsWith('https:') ? '; Secure' : ''}`);
      io.res.setHeader('cache-control', 'no-store');
      io.res.setHeader('referrer-policy', 'no-referrer');
      io.applyHeaders();
      const outcome = await runPassport(deps.authenticator, strategy, io.req, io.res);
      if (outcome.kind === 'redirected') {
        host.audit.record({
          event: 'oauth_connection.flow_started',
          severity: 'info',
          actor: { type: 'token', id: token.id, name: token.name },
          projectId: record.projectId,
          target: { type: 'oauth_connection', id: record.id, name: record.name },
          metadata: { subject },
          ip: ctx.ip,
        });
        return;
      }
      throw new GatewayError('GW_ERR_INTERNAL', { message: 'The OAuth flow could not start.', cause: outcome.kind === 'error' ? outcome.error : outcome });
    },
  };

  const rejectState = (ctx: RequestContext, reason: string, flow: PendingFlow | null): never => {
    host.audit.record({
      event: 'oauth_connection.state_rejected',
      severity: 'warning',
      actor: { type: 'anonymous' },
      projectId: flow?.projectId ?? null,
      target: flow ? { type: 'oauth_connection', id: flow.connectionId } : null,
      metadata: { reason },
      ip: ctx.ip,
    });
    throw new GatewayError('GW_ERR_OAUTH_STATE_INVALID');
  };

  const callback: RouteDefinition = {
    id: 'api-proxy.oauth.callback',
    method: 'GET',
    path: '/oauth/callback',
    public: true,
    body: 'none',
    async handle(ctx, io) {
      io.res.setHeader('cache-control', 'no-store');
      const state = queryOf(io.req).get('state');
      if (!state) return rejectState(ctx, 'missing', null);
      // Taken before anything else: whatever happens next, this state can never be used again.
      const flow = await flows.take(state);
      if (!flow) return rejectState(ctx, 'unknown, expired or already used', null);
      io.res.setHeader('set-cookie', `${cookieName(state)}=; Path=${new URL(flow.redirectUri).pathname}; Max-Age=0; HttpOnly; SameSite=Lax`);
      const presented = readCookie(io.req, cookieName(state));
      const expected = Buffer.from(flow.bindingHash, 'hex');
      const actual = presented ? Buffer.from(sha256(presented), 'hex') : Buffer.alloc(expected.length);
      if (!presented || !timingSafeEqual(actual, expected)) return rejectState(ctx, 'browser binding cookie missing or wrong', flow);
      const record = await host.store.oauthConnections.get(flow.connectionId);
      if (!record) return rejectState(ctx, 'connection deleted', flow);
      ctx.project = ctx.snapshot.projects.get(record.projectId) ?? null;
      const actor = { type: 'token' as const, id: flow.startedByTokenId };
      const stateStore: FlowStateAdapter = {
        store(_req, _verifier, _state, _meta, cb) {
          cb(new Error('the callback route never starts a flow'));
        },
        verify(_req, providedState, _meta, cb) {
          // PKCE stores answer the verifier (passport sends it as code_verifier); others `true`.
          if (providedState !== state) return cb(null, false, { message: 'state mismatch' });
          cb(null, flow.verifier ?? true, {});
        },
      };
      await deps.guard.assertUrlResolvesPublic(record.tokenUrl).catch(async (err: unknown) => {
        await connections.markFailed(record, 'oauth_connection.failed', actor, 'token endpoint address not allowed');
        throw err;
      });
      const strategy = buildStrategy({
        record,
        clientSecret: host.secrets.decrypt(record.clientSecretEnc),
        preset: connections.presetFor(record),
        redirectUri: flow.redirectUri,
        stateStore,
        agent: agentFor(record.tokenUrl),
      });
      const outcome = await runPassport(deps.authenticator, strategy, io.req, io.res, { callbackURL: flow.redirectUri });
      if (outcome.kind === 'success') {
        const saved = await connections.saveGrant(record, outcome.grant, actor);
        io.json(200, { connection: saved.name, status: saved.status, subject: saved.subject ?? null, expiresAt: saved.expiresAt ?? null });
        return;
      }
      if (outcome.kind === 'fail') {
        await connections.markFailed(record, 'oauth_connection.denied', actor, outcome.message);
        throw new GatewayError('GW_ERR_REQUEST_INVALID', { message: 'The authorization was denied at the provider.' });
      }
      if (outcome.kind === 'error') {
        ctx.logger.warn({ err: outcome.error, connection: record.name }, 'oauth code exchange failed');
        await connections.markFailed(record, 'oauth_connection.failed', actor, outcome.error instanceof Error ? outcome.error.message : 'code exchange failed');
        throw new GatewayError('GW_ERR_UPSTREAM_ERROR', { message: 'The OAuth provider did not accept the authorization code.' });
      }
    },
  };

  const disconnect: RouteDefinition = {
    id: 'api-proxy.oauth.disconnect',
    method: 'POST',
    path: '/oauth/:connection/disconnect',
    scope: 'proxy',
    body: 'none',
    async handle(ctx, io) {
      const auth = ctx.auth!;
      const project = ctx.snapshot.projects.get(auth.token.projectId);
      if (!project?.active) throw new GatewayError('GW_ERR_PROJECT_INACTIVE');
      ctx.project = project;
      const name = ctx.params['connection'] ?? '';
      const updated = await connections.disconnect(project.id, name, auth.subject, { type: 'token', id: auth.token.id, name: auth.token.name });
      if (!updated) throw new GatewayError('GW_ERR_ENDPOINT_NOT_FOUND', { message: `OAuth connection "${name}" not found.` });
      io.json(200, { connection: updated.name, status: updated.status, subject: updated.subject ?? null });
    },
  };

  return [connect, callback, disconnect];
}
