import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startMockServer, type MockServer } from './mock-http';

/**
 * A loopback stand-in for Microsoft Entra ID's v2.0 token endpoint, client credentials grant
 * only, following https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * ("Get a token", "Successful response", "Error response"):
 * `POST /{tenant}/oauth2/v2.0/token`, form-encoded `grant_type=client_credentials`,
 * `client_id`, `client_secret`, `scope`; answers `{ token_type: "Bearer", expires_in,
 * ext_expires_in, access_token }`, or `{ error, error_description: "AADSTS<n>: ...",
 * error_codes, timestamp, trace_id, correlation_id, error_uri }` with Entra's statuses
 * (401 invalid_client for a wrong secret, 400 for the rest). Issued tokens can be checked by the
 * OpenAI mock's Azure routes (`isValidToken`), revoked, and expire.
 */
export interface MockEntraOptions {
  port?: number;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Token lifetime in seconds (Entra issues 60-90 minutes; tests use less). Default 3599. */
  expiresInSeconds?: number;
  /** The only scope the tenant knows. Default the Azure OpenAI audience. */
  scope?: string;
}

export interface MockEntraServer extends MockServer {
  /** What a credential's `authorityHost` option wants (the server's origin). */
  readonly authorityHost: string;
  /** How many token requests arrived (good or bad). */
  readonly tokenRequestCount: number;
  /** How many tokens were issued. */
  readonly issuedCount: number;
  /** True for a token this mock issued that has not expired or been revoked. */
  isValidToken(token: string): boolean;
  /** Revokes every token issued so far (the resource will answer 401 to them). */
  revokeAll(): void;
  /** Answers the next token requests with this HTTP status (a 503 outage), `count` times. */
  failNext(status: number, count?: number): void;
  /** Delays every token response (ms), to test timeouts and single flight. */
  setDelayMs(ms: number): void;
}

const DEFAULT_SCOPE = 'https://cognitiveservices.azure.com/.default';
const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

interface IssuedToken {
  expiresAt: number;
  revoked: boolean;
}

/** Entra's error body: the AADSTS code leads the description and is repeated in error_codes. */
function sendEntraError(res: ServerResponse, status: number, error: string, aadsts: number, text: string): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-cache' });
  res.end(
    JSON.stringify({
      error,
      error_description: `AADSTS${aadsts}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    }),
  );
}

/** A JWT-shaped opaque token (three base64url segments), as Entra's are. */
function mintToken(claims: Record<string, unknown>): string {
  const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${segment({ typ: 'JWT', alg: 'RS256' })}.${segment(claims)}.${randomBytes(32).toString('base64url')}`;
}

export async function startMockEntra(options: MockEntraOptions): Promise<MockEntraServer> {
  const scope = options.scope ?? DEFAULT_SCOPE;
  const lifetime = options.expiresInSeconds ?? 3599;
  const issued = new Map<string, IssuedToken>();
  let tokenRequests = 0;
  let failures: { status: number; remaining: number } | null = null;
  let delayMs = 0;

  const server = await startMockServer(async (req, res) => {
    const path = new URL(req.url, 'http://mock.invalid').pathname;
    const match = TOKEN_PATH.exec(path);
    if (!match || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('Not Found');
    }
    tokenRequests += 1;
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (failures && failures.remaining > 0) {
      failures.remaining -= 1;
      return sendEntraError(res, failures.status, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.');
    }
    const tenant = decodeURIComponent(match[1]!);
    if (tenant !== options.tenantId) {
      return sendEntraError(res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    if (!/^application\/x-www-form-urlencoded\b/i.test(String(req.headers['content-type'] ?? ''))) {
      return sendEntraError(res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    }
    const form = new URLSearchParams(req.body);
    const grantType = form.get('grant_type');
    if (!grantType) return sendEntraError(res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    if (grantType !== 'client_credentials') {
      return sendEntraError(res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
    }
    const clientId = form.get('client_id');
    if (!clientId) return sendEntraError(res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    if (clientId !== options.clientId) {
      return sendEntraError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
    }
    const clientSecret = form.get('client_secret');
    if (!clientSecret) {
      return sendEntraError(res, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    if (clientSecret !== options.clientSecret) {
      return sendEntraError(res, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
    }
    const requested = form.get('scope');
    if (!requested) return sendEntraError(res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
    if (!requested.endsWith('/.default')) {
      return sendEntraError(res, 400, 'invalid_scope', 1002012, `The provided value for scope ${requested} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    if (requested !== scope) {
      return sendEntraError(res, 400, 'invalid_resource', 500011, `The resource principal named ${requested.replace(/\/\.default$/, '')} was not found in the tenant named ${tenant}.`);
    }
    const now = Date.now();
    const token = mintToken({ aud: scope.replace(/\/\.default$/, ''), tid: tenant, appid: clientId, iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + lifetime });
    issued.set(token, { expiresAt: now + lifetime * 1000, revoked: false });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store, no-cache' });
    res.end(JSON.stringify({ token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token }));
  }, options.port ?? 0);

  // Counters are live getters: Object.assign would copy their values once.
  const controls: Omit<MockEntraServer, keyof MockServer> = {
    authorityHost: server.url,
    get tokenRequestCount() {
      return tokenRequests;
    },
    get issuedCount() {
      return issued.size;
    },
    isValidToken(token: string): boolean {
      const record = issued.get(token);
      return record !== undefined && !record.revoked && Date.now() < record.expiresAt;
    },
    revokeAll(): void {
      for (const record of issued.values()) record.revoked = true;
    },
    failNext(status: number, count = 1): void {
      failures = { status, remaining: count };
    },
    setDelayMs(ms: number): void {
      delayMs = ms;
    },
  };
  return Object.defineProperties(server, Object.getOwnPropertyDescriptors(controls)) as MockEntraServer;
}
