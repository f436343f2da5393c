import { GatewayError, SsrfGuard } from '@portcullis/core';
import { z } from 'zod';
import { HOP_BY_HOP_HEADERS, NEVER_FORWARDED_HEADERS } from './header-policy';

/** Never-forwarded client headers an operator may still set for the upstream (its credential). */
const INJECTABLE = new Set(['authorization', 'cookie', 'api-key', 'x-api-key']);

export const PROXY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type ProxyMethod = (typeof PROXY_METHODS)[number];

const headerName = z
  .string()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid HTTP header name')
  .transform((h) => h.toLowerCase());

/**
 * An api_proxy endpoint (EndpointRecord.config). Validated when saved (admin API / apply) and
 * again when a request first uses a version of it, so a bad record answers a clear error.
 */
export const proxyEndpointConfigSchema = z
  .object({
    /** Base URL requests are forwarded to; the path after the slug is appended. */
    upstream: z.string().url(),
    /** Methods the endpoint accepts; others get 405 with an Allow header. */
    methods: z.array(z.enum(PROXY_METHODS)).min(1).default(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
    /** When set, only these client headers are forwarded (body framing headers always are). */
    forwardHeaders: z.array(headerName).optional(),
    /** Client headers never forwarded, on top of the built-in list. */
    blockHeaders: z.array(headerName).default([]),
    /** Headers set on every upstream request (override client values). */
    injectHeaders: z.record(headerName, z.string().regex(/^[^\r\n]*$/, 'header values cannot contain line breaks')).default({}),
    /** Upstream socket inactivity limit: no byte for this long ends the request (504 before headers). */
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
    /** Removed from the start of the client's path before it is appended to `upstream`. */
    stripPrefix: z.string().regex(/^\/[^?#]*$/, 'stripPrefix starts with "/"').optional(),
    /** Forward the client's query string (merged after any query in `upstream`). */
    preserveQuery: z.boolean().default(true),
    /** OAuth connection (by name) whose access token is injected as Authorization. */
    oauthConnection: z.string().min(1).optional(),
    /** SSRF allow list for this endpoint: CIDRs, IPs or host names the operator trusts. */
    ssrfAllow: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((config, issue) => {
    let guard: SsrfGuard;
    try {
      guard = new SsrfGuard({ allow: config.ssrfAllow });
    } catch (err) {
      issue.addIssue({ code: 'custom', path: ['ssrfAllow'], message: (err as Error).message });
      return;
    }
    try {
      const url = guard.assertUrl(config.upstream);
      if (url.hash) issue.addIssue({ code: 'custom', path: ['upstream'], message: 'upstream must not contain a #fragment' });
    } catch (err) {
      issue.addIssue({ code: 'custom', path: ['upstream'], message: err instanceof GatewayError ? err.message : String(err) });
    }
    for (const name of Object.keys(config.injectHeaders)) {
      if ((NEVER_FORWARDED_HEADERS.has(name) || HOP_BY_HOP_HEADERS.has(name)) && !INJECTABLE.has(name))
        issue.addIssue({ code: 'custom', path: ['injectHeaders', name], message: `"${name}" is managed by the proxy and cannot be injected` });
      if (name === 'authorization' && config.oauthConnection)
        issue.addIssue({ code: 'custom', path: ['injectHeaders', name], message: 'authorization comes from oauthConnection; do not inject it too' });
    }
    for (const name of config.forwardHeaders ?? []) {
      if (NEVER_FORWARDED_HEADERS.has(name) || HOP_BY_HOP_HEADERS.has(name))
        issue.addIssue({ code: 'custom', path: ['forwardHeaders'], message: `"${name}" is never forwarded from clients` });
    }
    for (const name of Object.keys(config.injectHeaders)) {
      if (name === 'content-length')
        issue.addIssue({ code: 'custom', path: ['injectHeaders', name], message: `"${name}" frames the body and cannot be injected` });
    }
  });

export type ProxyEndpointConfig = z.infer<typeof proxyEndpointConfigSchema>;

export type ProxyConfigValidation = { ok: true; config: ProxyEndpointConfig } | { ok: false; errors: string[] };

/** For the admin API and `apply`: validates an api_proxy endpoint config, SSRF save-time check included. */
export function validateProxyEndpointConfig(config: unknown): ProxyConfigValidation {
  const parsed = proxyEndpointConfigSchema.safeParse(config);
  if (parsed.success) return { ok: true, config: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(config)'}: ${i.message}`) };
}
