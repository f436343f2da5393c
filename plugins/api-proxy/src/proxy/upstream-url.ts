import { GatewayError } from '@portcullis/core';

export interface UpstreamUrlInput {
  /** Endpoint `upstream` (already validated). */
  upstream: string;
  /** The raw (still percent-encoded) path after `/proxy/<slug>`, '' or starting with '/'. */
  rawRest: string;
  /** The raw query string without '?', or ''. */
  rawQuery: string;
  stripPrefix?: string;
  preserveQuery: boolean;
}

/**
 * The part of a gateway URL after `/api/<project>/proxy/<slug>`, taken from the raw URL so
 * percent-encoding survives untouched (GitLab's `group%2Fproject` must stay one segment).
 * `routeUrl` is req.url as the gateway router saw it (`/api/p/proxy/s/rest?q`).
 */
export function splitProxyUrl(routeUrl: string): { rawRest: string; rawQuery: string } {
  const q = routeUrl.indexOf('?');
  const path = q === -1 ? routeUrl : routeUrl.slice(0, q);
  const rawQuery = q === -1 ? '' : routeUrl.slice(q + 1);
  const marker = /^\/api\/[^/]+\/proxy\/[^/]+/.exec(path);
  if (!marker) throw new GatewayError('GW_ERR_ROUTE_NOT_FOUND');
  return { rawRest: path.slice(marker[0].length), rawQuery };
}

const decodeSafely = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new GatewayError('GW_ERR_REQUEST_INVALID', { message: 'The request path has invalid percent-encoding.' });
  }
};

/**
 * Joins the endpoint's upstream with the client's path and query. Dot segments are refused
 * (also when percent-encoded or hidden behind an encoded slash or backslash): an upstream that
 * normalises `/base/../admin` would otherwise let a client escape the endpoint's base path.
 */
export function buildUpstreamUrl(input: UpstreamUrlInput): URL {
  const url = new URL(input.upstream);
  let rest = input.rawRest;
  for (const segment of rest.split('/')) {
    const parts = decodeSafely(segment).split(/[\\/]/);
    if (parts.some((p) => p === '.' || p === '..'))
      throw new GatewayError('GW_ERR_REQUEST_INVALID', { message: 'The request path must not contain "." or ".." segments.' });
  }
  if (input.stripPrefix) {
    const prefix = input.stripPrefix.replace(/\/+$/, '');
    if (rest === prefix) rest = '';
    else if (rest.startsWith(`${prefix}/`)) rest = rest.slice(prefix.length);
  }
  const base = url.pathname.replace(/\/+$/, '');
  const joined = `${base}${rest}`;
  url.pathname = joined === '' ? '/' : joined;
  if (input.preserveQuery && input.rawQuery !== '') url.search = url.search ? `${url.search}&${input.rawQuery}` : `?${input.rawQuery}`;
  return url;
}
