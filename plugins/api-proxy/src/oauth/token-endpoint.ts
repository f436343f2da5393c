import { request as httpRequest, type Agent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SsrfGuard } from '@portcullis/core';

/** What a token endpoint answered, normalised (RFC 6749 §5.1). */
export interface TokenGrant {
  accessToken: string;
  /** Absent when the provider kept the old refresh token (no rotation). */
  refreshToken: string | null;
  tokenType: string;
  /** Seconds, when the provider said. */
  expiresIn: number | null;
}

/** A token endpoint refusal or an unreadable answer; `code` is the OAuth error code when there is one. */
export class TokenEndpointError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'TokenEndpointError';
  }
}

export interface TokenRequest {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  authMethod: 'client_secret_post' | 'client_secret_basic';
  params: Record<string, string>;
  timeoutMs: number;
  guard: SsrfGuard;
  agents: { http: Agent; https: Agent };
}

const MAX_BODY_BYTES = 256 * 1024;

/** RFC 6750 says the type is case-insensitive; upstreams expect the canonical `Bearer`. */
export const canonicalTokenType = (type: unknown): string =>
  typeof type === 'string' && type.trim() !== '' ? (type.trim().toLowerCase() === 'bearer' ? 'Bearer' : type.trim()) : 'Bearer';

/** Reads a token response: JSON, or form-encoded (GitHub without an Accept header). */
export function parseTokenResponse(status: number, contentType: string, body: string): TokenGrant {
  let data: Record<string, unknown>;
  try {
    data = contentType.includes('json') || body.trimStart().startsWith('{') ? (JSON.parse(body) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(body));
  } catch {
    throw new TokenEndpointError(`the token endpoint answered ${status} with an unreadable body`, 'invalid_response', status);
  }
  // GitHub answers refusals with HTTP 200 and an `error` field, so the body decides, not the status.
  if (typeof data['error'] === 'string') {
    const description = typeof data['error_description'] === 'string' ? `: ${data['error_description']}` : '';
    throw new TokenEndpointError(`the token endpoint refused the request (${data['error']}${description})`, data['error'], status);
  }
  if (status < 200 || status > 299) throw new TokenEndpointError(`the token endpoint answered HTTP ${status}`, 'http_error', status);
  if (typeof data['access_token'] !== 'string' || data['access_token'] === '')
    throw new TokenEndpointError('the token endpoint answered without an access_token', 'invalid_response', status);
  const expires = Number(data['expires_in']);
  return {
    accessToken: data['access_token'],
    refreshToken: typeof data['refresh_token'] === 'string' && data['refresh_token'] !== '' ? data['refresh_token'] : null,
    tokenType: canonicalTokenType(data['token_type']),
    expiresIn: Number.isFinite(expires) && expires > 0 ? expires : null,
  };
}

/**
 * POSTs a grant to a token endpoint (refresh_token here; the authorization code goes through
 * passport). The connection goes through the SSRF-guarded agent and is never redirected.
 */
export async function requestToken(req: TokenRequest): Promise<TokenGrant> {
  const url = await req.guard.assertUrlResolvesPublic(req.tokenUrl);
  const form = new URLSearchParams(req.params);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'user-agent': 'Portcullis-Gateway',
  };
  if (req.authMethod === 'client_secret_basic') {
    // RFC 6749 §2.3.1: form-urlencode each part before joining.
    const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
    headers['authorization'] = `Basic ${Buffer.from(`${enc(req.clientId)}:${enc(req.clientSecret)}`).toString('base64')}`;
  } else {
    form.set('client_id', req.clientId);
    form.set('client_secret', req.clientSecret);
  }
  const body = form.toString();
  headers['content-length'] = String(Buffer.byteLength(body));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = url.protocol === 'https:' ? req.agents.https : req.agents.http;
  return new Promise<TokenGrant>((resolve, reject) => {
    const outgoing = send(url, { method: 'POST', headers, agent, timeout: req.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          res.destroy();
          reject(new TokenEndpointError('the token endpoint answered with an oversized body', 'invalid_response', res.statusCode ?? null));
        } else chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        try {
          resolve(parseTokenResponse(res.statusCode ?? 0, String(res.headers['content-type'] ?? ''), Buffer.concat(chunks).toString('utf8')));
        } catch (err) {
          reject(err);
        }
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new TokenEndpointError(`the token endpoint did not answer within ${req.timeoutMs} ms`, 'timeout', null)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
