import type { Agent } from 'node:http';
import { GatewayError, type AuditEventInput, type OAuthConnectionRecord, type PluginHost, type SsrfGuard } from '@portcullis/core';
import { GENERIC_OAUTH2_PRESET, type OAuthPreset } from './presets';
import type { RedisRefreshLock } from './refresh-lock';
import { requestToken, TokenEndpointError, type TokenGrant } from './token-endpoint';

export interface ConnectionServiceOptions {
  presets: ReadonlyMap<string, OAuthPreset>;
  /** Tokens expiring within this window are refreshed before use. */
  refreshSkewMs: number;
  /** How long a connection record is served from memory before the store is asked again. */
  cacheMs: number;
  tokenTimeoutMs: number;
  /** Guard and agents for token endpoints (operator allow list). */
  guard: SsrfGuard;
  agents: { http: Agent; https: Agent };
  /** Serialises refreshes of one connection across gateway instances (Redis); null = this process only. */
  refreshLock?: RedisRefreshLock | null;
  now?: () => number;
}

export interface CreateOAuthConnectionInput {
  projectId: string;
  name: string;
  /** A preset name (templates/oauth-presets); unknown names use generic OAuth 2. */
  preset: string;
  subject?: string | null;
  clientId: string;
  clientSecret: string;
  /** Default: the preset's. */
  authorizeUrl?: string;
  tokenUrl?: string;
  scopes?: string[];
}

type Actor = AuditEventInput['actor'];

const CONNECTION_NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** How often an instance waiting on another's refresh re-reads the connection record. */
const REFRESH_WAIT_POLL_MS = 50;

/**
 * OAuth connection records: lookup (cached briefly; not in the config snapshot), the access
 * token for a request (refreshed first when it expires within the skew, one refresh per
 * connection at a time), storing grants encrypted, and disconnecting.
 */
export class ConnectionService {
  private readonly cache = new Map<string, { record: OAuthConnectionRecord | null; at: number }>();
  /** Single flight: concurrent requests on one connection share one refresh. */
  private readonly refreshing = new Map<string, Promise<OAuthConnectionRecord>>();
  private readonly now: () => number;

  constructor(
    private readonly host: PluginHost,
    private readonly options: ConnectionServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  presetFor(record: Pick<OAuthConnectionRecord, 'preset'>): OAuthPreset {
    return this.options.presets.get(record.preset) ?? GENERIC_OAUTH2_PRESET;
  }

  async find(projectId: string, name: string, subject: string | null): Promise<OAuthConnectionRecord | null> {
    const key = cacheKey(projectId, name, subject);
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.options.cacheMs) return hit.record;
    const record = await this.host.store.oauthConnections.findOne({ projectId, name, subject });
    this.remember(projectId, name, subject, record);
    return record;
  }

  /**
   * The record a connect flow writes to. A token with a subject gets its own record, created
   * from the project's service connection of the same name (same client, URLs and scopes).
   */
  async forFlow(projectId: string, name: string, subject: string | null): Promise<OAuthConnectionRecord | null> {
    const own = await this.host.store.oauthConnections.findOne({ projectId, name, subject });
    if (own || subject === null) return own;
    const template = await this.host.store.oauthConnections.findOne({ projectId, name, subject: null });
    if (!template) return null;
    return this.host.store.oauthConnections.upsert(
      { projectId, name, subject },
      {
        projectId,
        name,
        subject,
        preset: template.preset,
        clientId: template.clientId,
        clientSecretEnc: template.clientSecretEnc,
        authorizeUrl: template.authorizeUrl,
        tokenUrl: template.tokenUrl,
        scopes: template.scopes,
        accessTokenEnc: null,
        refreshTokenEnc: null,
        tokenType: null,
        expiresAt: null,
        status: 'pending',
      },
    );
  }

  /** Creates a (service or per-user) connection; the client secret is encrypted under APP_KEY. */
  async create(input: CreateOAuthConnectionInput, actor: Actor = { type: 'system' }): Promise<OAuthConnectionRecord> {
    if (!CONNECTION_NAME.test(input.name)) throw new GatewayError('GW_ERR_REQUEST_VALIDATION', { message: 'Connection names use 1-64 letters, digits, ".", "_" or "-".', param: 'name' });
    const preset = this.presetFor(input);
    const authorizeUrl = input.authorizeUrl ?? preset.authorizeUrl;
    const tokenUrl = input.tokenUrl ?? preset.tokenUrl;
    if (!/^https?:\/\//.test(authorizeUrl)) throw new GatewayError('GW_ERR_REQUEST_VALIDATION', { message: 'authorizeUrl must be an http(s) URL.', param: 'authorizeUrl' });
    // The gateway itself calls the token URL: it must pass the SSRF guard (operator allow list).
    this.options.guard.assertUrl(tokenUrl);
    const record = await this.host.store.oauthConnections.create({
      projectId: input.projectId,
      name: input.name,
      subject: input.subject ?? null,
      preset: input.preset,
      clientId: input.clientId,
      clientSecretEnc: this.host.secrets.encrypt(input.clientSecret),
      authorizeUrl,
      tokenUrl,
      scopes: input.scopes ?? preset.defaultScopes,
      accessTokenEnc: null,
      refreshTokenEnc: null,
      tokenType: null,
      expiresAt: null,
      status: 'pending',
    });
    this.audit('oauth_connection.created', 'info', actor, record);
    return record;
  }

  /** `Authorization` header value for a proxied request on connection `name`. */
  async authorizationFor(projectId: string, name: string, subject: string | null, actor: Actor): Promise<string> {
    let record = await this.find(projectId, name, subject);
    if (!record || record.status !== 'connected' || !record.accessTokenEnc) throw notConnected(name, subject);
    if (this.needsRefresh(record)) record = await this.refreshShared(record, actor);
    return `${record.tokenType ?? 'Bearer'} ${this.host.secrets.decrypt(record.accessTokenEnc!)}`;
  }

  /** Stores a fresh grant from the authorization-code exchange. */
  async saveGrant(record: OAuthConnectionRecord, grant: TokenGrant, actor: Actor): Promise<OAuthConnectionRecord> {
    const saved = await this.writeGrant(record, grant, null);
    this.audit('oauth_connection.connected', 'info', actor, saved, { expires: saved.expiresAt !== null, hasRefreshToken: saved.refreshTokenEnc != null });
    return saved;
  }

  async markFailed(record: OAuthConnectionRecord, event: string, actor: Actor, reason: string): Promise<void> {
    const updated = await this.host.store.oauthConnections.update(record.id, { status: record.status === 'connected' ? 'connected' : 'error' });
    this.audit(event, 'warning', actor, updated ?? record, { reason });
  }

  /** Clears the tokens (the record stays, so the same name can be connected again). */
  async disconnect(projectId: string, name: string, subject: string | null, actor: Actor): Promise<OAuthConnectionRecord | null> {
    const record = await this.host.store.oauthConnections.findOne({ projectId, name, subject });
    if (!record) return null;
    const updated = await this.host.store.oauthConnections.update(record.id, { accessTokenEnc: null, refreshTokenEnc: null, tokenType: null, expiresAt: null, status: 'disconnected' });
    this.remember(projectId, name, subject, updated);
    this.audit('oauth_connection.disconnected', 'info', actor, updated ?? record);
    return updated;
  }

  private needsRefresh(record: OAuthConnectionRecord): boolean {
    return record.expiresAt != null && Date.parse(record.expiresAt) - this.now() <= this.options.refreshSkewMs;
  }

  private refreshShared(record: OAuthConnectionRecord, actor: Actor): Promise<OAuthConnectionRecord> {
    let pending = this.refreshing.get(record.id);
    if (!pending) {
      pending = this.refresh(record, actor).finally(() => this.refreshing.delete(record.id));
      this.refreshing.set(record.id, pending);
    }
    return pending;
  }

  /**
   * One refresh per connection across instances: take the connection's lock, or wait for the
   * instance that holds it to store its result. Each pass re-reads the record first, so a
   * refresh finished elsewhere is used instead of repeated (a rotated refresh token works once).
   */
  private async refresh(cached: OAuthConnectionRecord, actor: Actor): Promise<OAuthConnectionRecord> {
    const lock = this.options.refreshLock ?? null;
    // A holder gets one token request's time (plus margin) before its lock lapses.
    const ttlMs = this.options.tokenTimeoutMs + 2_000;
    const deadline = this.now() + ttlMs;
    for (;;) {
      const record = await this.current(cached);
      if (!this.needsRefresh(record)) return record;
      if (lock === null) return this.refreshNow(record, actor);
      const attempt = await lock.tryAcquire(record.id, ttlMs);
      if (attempt.state === 'unavailable') return this.refreshNow(record, actor);
      if (attempt.state === 'acquired') {
        try {
          // Re-read under the lock: the previous holder may have finished just before we took it.
          const locked = await this.current(cached);
          return this.needsRefresh(locked) ? await this.refreshNow(locked, actor) : locked;
        } finally {
          await attempt.release();
        }
      }
      // Held elsewhere: poll the store until its refresh lands, the lock lapses, or we time out.
      if (this.now() > deadline) return this.refreshNow(record, actor);
      await new Promise((resolve) => setTimeout(resolve, REFRESH_WAIT_POLL_MS));
    }
  }

  /** The stored record (never the cache), or notConnected when it can no longer be used. */
  private async current(cached: OAuthConnectionRecord): Promise<OAuthConnectionRecord> {
    const record = await this.host.store.oauthConnections.get(cached.id);
    if (!record || record.status !== 'connected' || !record.accessTokenEnc) throw notConnected(cached.name, cached.subject ?? null);
    this.remember(record.projectId, record.name, record.subject ?? null, record);
    return record;
  }

  private async refreshNow(record: OAuthConnectionRecord, actor: Actor): Promise<OAuthConnectionRecord> {
    const fail = async (reason: string, permanent: boolean): Promise<never> => {
      // A refusal from the provider means the refresh token is dead: the user must reconnect.
      const updated = permanent
        ? await this.host.store.oauthConnections.update(record.id, { status: 'error', accessTokenEnc: null, refreshTokenEnc: null, expiresAt: null })
        : record;
      this.remember(record.projectId, record.name, record.subject ?? null, updated);
      this.audit('oauth_connection.refresh_failed', 'warning', actor, record, { reason, permanent });
      throw new GatewayError('GW_ERR_OAUTH_REFRESH_FAILED', {
        message: `Refreshing the access token of OAuth connection "${record.name}" failed (${reason}).${permanent ? ` Reconnect it at /oauth/${record.name}/connect.` : ' Try again later.'}`,
      });
    };
    if (!record.refreshTokenEnc) return fail('the access token expired and the provider issued no refresh token', true);
    const preset = this.presetFor(record);
    let grant: TokenGrant;
    try {
      grant = await requestToken({
        tokenUrl: record.tokenUrl,
        clientId: record.clientId,
        clientSecret: this.host.secrets.decrypt(record.clientSecretEnc),
        authMethod: preset.tokenAuthMethod,
        params: { grant_type: 'refresh_token', refresh_token: this.host.secrets.decrypt(record.refreshTokenEnc) },
        timeoutMs: this.options.tokenTimeoutMs,
        guard: this.options.guard,
        agents: this.options.agents,
      });
    } catch (err) {
      if (err instanceof TokenEndpointError) return fail(err.code, !['http_error', 'timeout', 'invalid_response'].includes(err.code));
      if (err instanceof GatewayError && err.code === 'GW_ERR_PROXY_SSRF') return fail('token endpoint address not allowed', false);
      return fail((err as NodeJS.ErrnoException).code ?? 'network_error', false);
    }
    return this.writeGrant(record, grant, record.refreshTokenEnc);
  }

  private async writeGrant(record: OAuthConnectionRecord, grant: TokenGrant, previousRefreshEnc: string | null): Promise<OAuthConnectionRecord> {
    const updated = await this.host.store.oauthConnections.update(record.id, {
      accessTokenEnc: this.host.secrets.encrypt(grant.accessToken),
      // Rotation: a new refresh token replaces the old one; none in the answer keeps the old one.
      refreshTokenEnc: grant.refreshToken !== null ? this.host.secrets.encrypt(grant.refreshToken) : previousRefreshEnc,
      tokenType: grant.tokenType,
      expiresAt: grant.expiresIn !== null ? new Date(this.now() + grant.expiresIn * 1000).toISOString() : null,
      status: 'connected',
    });
    if (!updated) throw notConnected(record.name, record.subject ?? null);
    this.remember(updated.projectId, updated.name, updated.subject ?? null, updated);
    return updated;
  }

  private remember(projectId: string, name: string, subject: string | null, record: OAuthConnectionRecord | null): void {
    this.cache.set(cacheKey(projectId, name, subject), { record, at: this.now() });
  }

  private audit(event: string, severity: 'info' | 'warning', actor: Actor, record: OAuthConnectionRecord, metadata: Record<string, string | number | boolean | null> = {}): void {
    this.host.audit.record({
      event,
      severity,
      actor,
      projectId: record.projectId,
      target: { type: 'oauth_connection', id: record.id, name: record.name },
      metadata: { preset: record.preset, subject: record.subject ?? null, ...metadata },
    });
  }
}

const cacheKey = (projectId: string, name: string, subject: string | null): string => `${projectId}\u0000${name}\u0000${subject ?? ''}`;

function notConnected(name: string, subject: string | null): GatewayError {
  return new GatewayError('GW_ERR_OAUTH_NOT_CONNECTED', {
    message: `OAuth connection "${name}" is not connected${subject ? ` for subject "${subject}"` : ''}. Connect it at /oauth/${name}/connect.`,
  });
}
