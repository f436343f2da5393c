import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** RFC 9110 §7.6.1 hop-by-hop headers: they describe one connection and never cross a proxy. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Client headers that never reach an upstream: the gateway credential (Authorization, and
 * `api-key` / `x-api-key`, which the auth plugin also accepts) and cookies belong to the
 * gateway, Host is the upstream's, and forwarding headers would let a client claim any origin
 * IP to the upstream.
 */
export const NEVER_FORWARDED_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'host',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'api-key',
  'x-api-key',
]);

/** Always forwarded when present, even with a forwardHeaders allowlist: they frame the body. */
const BODY_HEADERS = ['content-type', 'content-encoding', 'content-length'] as const;

export interface RequestHeaderPolicy {
  forwardHeaders?: readonly string[];
  blockHeaders: readonly string[];
  injectHeaders: Readonly<Record<string, string>>;
}

/** Names listed in the Connection header are hop-by-hop for this message too (RFC 9110 §7.6.1). */
function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers['connection'];
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(
    text
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

const isHopByHop = (name: string): boolean => HOP_BY_HOP_HEADERS.has(name) || name.startsWith('proxy-');

/**
 * The headers an upstream receives: the client's, filtered (never-forwarded, hop-by-hop,
 * block list, allowlist), then the endpoint's injected headers, then `authorization` from an
 * OAuth connection. Body framing is re-derived: a known length is kept, a chunked body is
 * re-chunked on the upstream connection.
 */
export function buildUpstreamRequestHeaders(
  incoming: IncomingHttpHeaders,
  policy: RequestHeaderPolicy,
  authorization: string | null,
): OutgoingHttpHeaders {
  const dropped = connectionListed(incoming);
  const blocked = new Set(policy.blockHeaders);
  const allow = policy.forwardHeaders ? new Set([...policy.forwardHeaders, ...BODY_HEADERS]) : null;
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || name === 'content-length') continue;
    if (NEVER_FORWARDED_HEADERS.has(name) || isHopByHop(name) || dropped.has(name) || blocked.has(name)) continue;
    if (allow && !allow.has(name)) continue;
    out[name] = value;
  }
  const length = incoming['content-length'];
  const chunked = /\bchunked\b/i.test(String(incoming['transfer-encoding'] ?? ''));
  if (chunked) out['transfer-encoding'] = 'chunked';
  else if (length !== undefined && /^\d+$/.test(length)) out['content-length'] = length;
  for (const [name, value] of Object.entries(policy.injectHeaders)) out[name] = value;
  if (authorization !== null) out['authorization'] = authorization;
  return out;
}

/**
 * The headers a client receives from an upstream response. Set-Cookie is dropped: every
 * project shares the gateway's origin, so an upstream cookie would leak across tenants.
 * The upstream's x-request-id is kept under another name so the gateway's id stays authoritative.
 */
export function buildClientResponseHeaders(upstream: IncomingHttpHeaders): OutgoingHttpHeaders {
  const dropped = connectionListed(upstream);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined) continue;
    if (isHopByHop(name) || dropped.has(name) || name === 'set-cookie' || name === 'set-cookie2') continue;
    if (name === 'x-request-id') {
      out['x-upstream-request-id'] = value;
      continue;
    }
    out[name] = value;
  }
  return out;
}
