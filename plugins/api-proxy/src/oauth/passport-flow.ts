import type { Agent, IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { OAuthConnectionRecord } from '@portcullis/core';
import type { Authenticator } from 'passport';
import { Strategy as GitHubStrategy, type StrategyOptions as GitHubStrategyOptions } from 'passport-github2';
import OAuth2Strategy from 'passport-oauth2';
import type { OAuthPreset } from './presets';
import { canonicalTokenType, type TokenGrant } from './token-endpoint';

/** passport-oauth2's state store contract, in the arities it dispatches on (5 = PKCE-aware store, 4 = verify with meta). */
export interface FlowStateAdapter {
  store(req: unknown, verifier: string | undefined, state: unknown, meta: unknown, callback: (err: Error | null, handle?: string) => void): void;
  verify(req: unknown, providedState: string, meta: unknown, callback: (err: Error | null, ok: string | boolean, info?: object) => void): void;
}

export interface StrategyInput {
  record: OAuthConnectionRecord;
  clientSecret: string;
  preset: OAuthPreset;
  redirectUri: string;
  stateStore: FlowStateAdapter;
  /** SSRF-guarded agent for the token endpoint's protocol. */
  agent: Agent;
}

type Verified = (err: Error | null, user?: Express.User | false) => void;

/** The grant passport hands back, as the gateway stores it. */
function verifyGrant(accessToken: string, refreshToken: string, params: Record<string, unknown>, _profile: unknown, done: Verified): void {
  const expires = Number(params['expires_in']);
  const grant: TokenGrant = {
    accessToken,
    refreshToken: refreshToken ? refreshToken : null,
    tokenType: canonicalTokenType(params['token_type']),
    expiresIn: Number.isFinite(expires) && expires > 0 ? expires : null,
  };
  done(null, grant as unknown as Express.User);
}

/** passport-oauth2 with the connection's preset parameters and the guarded agent. */
class ConnectionOAuth2Strategy extends OAuth2Strategy {
  constructor(
    options: OAuth2Strategy.StrategyOptions,
    private readonly extraParams: Record<string, string>,
    agent: Agent,
  ) {
    super(options, verifyGrant);
    this._oauth2.setAgent(agent);
  }
  override authorizationParams(): object {
    return { ...this.extraParams };
  }
}

/** passport-github2 (GitHub defaults, its User-Agent) pointed at the connection's URLs. */
class ConnectionGitHubStrategy extends GitHubStrategy {
  constructor(
    options: GitHubStrategyOptions,
    private readonly extraParams: Record<string, string>,
    agent: Agent,
  ) {
    super(options, verifyGrant);
    this._oauth2.setAgent(agent);
  }
  override authorizationParams(): object {
    return { ...this.extraParams };
  }
}

export function buildStrategy(input: StrategyInput): OAuth2Strategy {
  const { record, preset } = input;
  const basic = preset.tokenAuthMethod === 'client_secret_basic';
  const common = {
    authorizationURL: record.authorizeUrl,
    tokenURL: record.tokenUrl,
    clientID: record.clientId,
    clientSecret: input.clientSecret,
    callbackURL: input.redirectUri,
    scope: record.scopes.length > 0 ? record.scopes : preset.defaultScopes,
    scopeSeparator: preset.scopeSeparator,
    pkce: preset.pkce,
    state: true,
    store: input.stateStore as unknown as OAuth2Strategy.StateStore,
    // Tokens are what the gateway needs; a profile fetch would be one more outbound call.
    skipUserProfile: true,
    customHeaders: {
      'User-Agent': 'Portcullis-Gateway',
      ...(basic ? { Authorization: `Basic ${Buffer.from(`${encodeURIComponent(record.clientId)}:${encodeURIComponent(input.clientSecret)}`).toString('base64')}` } : {}),
    },
  };
  return preset.strategy === 'github'
    ? new ConnectionGitHubStrategy({ ...common, userAgent: 'Portcullis-Gateway' } as unknown as GitHubStrategyOptions, preset.authorizeParams, input.agent)
    : new ConnectionOAuth2Strategy(common as OAuth2Strategy.StrategyOptions, preset.authorizeParams, input.agent);
}

export type PassportOutcome =
  | { kind: 'redirected' }
  | { kind: 'success'; grant: TokenGrant }
  | { kind: 'fail'; message: string }
  | { kind: 'error'; error: unknown };

/**
 * Runs one passport authenticate step without sessions (session: false; the state lives in
 * our store) and reports how it ended: a redirect to the provider, a grant, or a failure.
 */
export function runPassport(
  authenticator: Authenticator,
  strategy: OAuth2Strategy,
  req: IncomingMessage,
  res: ServerResponse,
  options: { callbackURL?: string } = {},
): Promise<PassportOutcome> {
  return new Promise<PassportOutcome>((resolve) => {
    res.once('finish', () => resolve({ kind: 'redirected' }));
    const middleware = authenticator.authenticate(strategy, { session: false, ...options }, (err: unknown, user: unknown, info: unknown) => {
      if (err) return resolve({ kind: 'error', error: err });
      if (!user) {
        const message = typeof info === 'object' && info !== null && typeof (info as { message?: unknown }).message === 'string' ? (info as { message: string }).message : 'authorization failed';
        return resolve({ kind: 'fail', message });
      }
      resolve({ kind: 'success', grant: user as TokenGrant });
    }) as (req: Request, res: Response, next: (err?: unknown) => void) => void;
    middleware(req as Request, res as Response, (err?: unknown) => resolve(err ? { kind: 'error', error: err } : { kind: 'fail', message: 'authorization failed' }));
  });
}
