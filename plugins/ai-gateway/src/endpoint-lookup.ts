import { GatewayError, type EndpointRecord, type RequestContext } from '@portcullis/core';

/**
 * The active endpoint `slug` of the request's project. Unknown and inactive endpoints answer
 * alike (404), so nothing tells a caller which slugs exist but are switched off.
 */
export function findActiveEndpoint(ctx: RequestContext, slug: string, param: string | null = null): EndpointRecord {
  const record = ctx.project ? ctx.snapshot.endpoints.get(ctx.project.id)?.get(slug) : undefined;
  if (!record || !record.active) throw new GatewayError('GW_ERR_ENDPOINT_NOT_FOUND', { param, message: `Endpoint '${slug}' not found in this project.` });
  return record;
}

/** Makes the endpoint the request's (endpoint-level policies match on ctx.endpoint) and logs its version. */
export function useEndpoint(ctx: RequestContext, record: EndpointRecord): void {
  ctx.endpoint = record;
  ctx.logAnnotations.versions[`endpoint:${record.slug}`] = record.version;
}
