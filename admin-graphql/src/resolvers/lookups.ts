import type { AdminContext } from '../context';
import { notFound } from '../errors';
import type { CredentialRecord, EndpointRecord, ProjectRecord, TokenRecord } from '@portcullis/core';

/** Loaders that turn a missing record into NOT_FOUND. */
export async function requireProject(ctx: AdminContext, id: string): Promise<ProjectRecord> {
  return (await ctx.host.store.projects.get(id)) ?? Promise.reject(notFound('project', id));
}
export async function requireCredential(ctx: AdminContext, id: string): Promise<CredentialRecord> {
  return (await ctx.host.store.credentials.get(id)) ?? Promise.reject(notFound('credential', id));
}
export async function requireToken(ctx: AdminContext, id: string): Promise<TokenRecord> {
  return (await ctx.host.store.tokens.get(id)) ?? Promise.reject(notFound('token', id));
}
export async function requireEndpoint(ctx: AdminContext, id: string): Promise<EndpointRecord> {
  return (await ctx.host.store.endpoints.get(id)) ?? Promise.reject(notFound('endpoint', id));
}

/** An update that found nothing: the record was deleted between read and write. */
export function updated<T>(record: T | null, entity: string, id: string): T {
  if (!record) throw notFound(entity, id);
  return record;
}
