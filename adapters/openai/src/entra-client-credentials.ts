import type { CredentialExchange, ResolvedCredential, TokenExchangeResult, UpstreamRequest } from '@portcullis/core';
import { entraSettings } from './azure-credential-options';
import { asNumber, asString, isRecord } from './wire';

/**
 * Microsoft Entra ID, OAuth2 client credentials grant (v2.0 endpoint), as documented at
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * (sections "Get a token" / "Successful response" / "Error response"):
 * `POST {authorityHost}/{tenant}/oauth2/v2.0/token`, form-encoded `client_id`, `scope`,
 * `client_secret`, `grant_type=client_credentials`; the answer is
 * `{ token_type: "Bearer", expires_in, ext_expires_in, access_token }` (no refresh token: the
 * gateway asks again), an error is `{ error, error_description: "AADSTS<n>: ...", error_codes }`.
 */

/** Short, safe explanations for the AADSTS codes an operator meets when setting this up. */
const AADSTS_HINTS: Readonly<Record<string, string>> = {
  '7000215': 'invalid client secret',
  '7000222': 'client secret expired',
  '7000218': 'client secret missing',
  '700016': 'unknown client id in this tenant',
  '90002': 'unknown tenant',
  '900023': 'invalid tenant id',
  '70011': 'invalid scope',
  '1002012': 'invalid scope',
  '500011': 'resource not found in this tenant',
};

function aadstsCode(body: Record<string, unknown>): string | undefined {
  const fromDescription = /AADSTS(\d+)/.exec(asString(body.error_description) ?? '')?.[1];
  if (fromDescription) return fromDescription;
  const first = Array.isArray(body.error_codes) ? asNumber(body.error_codes[0]) : undefined;
  return first === undefined ? undefined : String(first);
}

/**
 * What went wrong, from the error's codes alone: the description is not passed on, since it
 * names the application and tenant and carries trace ids that belong in Azure's logs.
 */
function failureReason(body: unknown): string {
  if (!isRecord(body)) return 'no OAuth error in the response';
  const error = asString(body.error);
  const code = aadstsCode(body);
  const hint = code ? AADSTS_HINTS[code] : undefined;
  const parts = [error && /^[a-z_]{1,64}$/.test(error) ? error : 'unknown_error', code ? `AADSTS${code}${hint ? `: ${hint}` : ''}` : null];
  return parts.filter((p): p is string => p !== null).join(', ');
}

/** `expires_in` is a number on v2.0; older endpoints and some proxies send it as a string. */
function expiresInSeconds(value: unknown): number | undefined {
  const seconds = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : asNumber(value);
  return seconds !== undefined && seconds > 0 ? seconds : undefined;
}

export function parseEntraTokenResponse(status: number, body: unknown): TokenExchangeResult {
  if (status >= 200 && status < 300) {
    const accessToken = isRecord(body) ? asString(body.access_token) : undefined;
    const tokenType = isRecord(body) ? asString(body.token_type) : undefined;
    const seconds = isRecord(body) ? expiresInSeconds(body.expires_in) : undefined;
    if (!accessToken || tokenType?.toLowerCase() !== 'bearer' || seconds === undefined) {
      return { ok: false, reason: 'malformed token response', retryable: true };
    }
    return { ok: true, accessToken, expiresInMs: seconds * 1000 };
  }
  const error = isRecord(body) ? asString(body.error) : undefined;
  // Throttling and outages pass; a refused client, tenant or scope needs an operator.
  const retryable = status === 429 || status >= 500 || error === 'temporarily_unavailable';
  return { ok: false, reason: failureReason(body), retryable };
}

export function buildEntraTokenRequest(credential: ResolvedCredential): UpstreamRequest {
  const settings = entraSettings(credential);
  const form = new URLSearchParams({
    client_id: settings.clientId,
    scope: settings.scope,
    client_secret: credential.secret,
    grant_type: 'client_credentials',
  });
  return {
    method: 'POST',
    url: `${settings.authorityHost}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    warnings: [],
  };
}

/** Azure OpenAI credentials with `auth: entra` trade their client secret for a bearer token. */
export const entraClientCredentials: CredentialExchange = {
  appliesTo: (credential) => credential.options.auth === 'entra',
  buildTokenRequest: buildEntraTokenRequest,
  parseTokenResponse: parseEntraTokenResponse,
};
