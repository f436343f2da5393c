import {
  UNIQUE_KEYS,
  type AdminKeyRecord,
  type AliasRecord,
  type BaseRecord,
  type CredentialRecord,
  type EndpointRecord,
  type EndpointVersionRecord,
  type OAuthConnectionRecord,
  type PolicyRecord,
  type ProjectRecord,
  type ProviderBindingRecord,
  type TokenRecord,
} from '../spec/store';

/** Record type of each repository on `Store`, keyed by its property name. */
export interface EntityRecords {
  projects: ProjectRecord;
  credentials: CredentialRecord;
  bindings: ProviderBindingRecord;
  aliases: AliasRecord;
  endpoints: EndpointRecord;
  endpointVersions: EndpointVersionRecord;
  tokens: TokenRecord;
  policies: PolicyRecord;
  oauthConnections: OAuthConnectionRecord;
  adminKeys: AdminKeyRecord;
}

export type EntityName = keyof EntityRecords;

/** Every repository, in one place, so both drivers create the same set. */
export const ENTITY_NAMES: readonly EntityName[] = Object.keys(UNIQUE_KEYS) as EntityName[];

/** Table / collection name per entity, shared by both drivers. */
export const STORAGE_NAMES: Record<EntityName, string> = {
  projects: 'projects',
  credentials: 'credentials',
  bindings: 'provider_bindings',
  aliases: 'aliases',
  endpoints: 'endpoints',
  endpointVersions: 'endpoint_versions',
  tokens: 'tokens',
  policies: 'policies',
  oauthConnections: 'oauth_connections',
  adminKeys: 'admin_keys',
};

/** Secondary (non-unique) lookups the gateway does often; both drivers index them. */
export const LOOKUP_FIELDS: Partial<Record<EntityName, string[]>> = {
  bindings: ['projectId'],
  aliases: ['projectId'],
  endpoints: ['projectId'],
  tokens: ['projectId'],
  policies: ['projectId'],
  oauthConnections: ['projectId'],
};

export function uniqueKeysOf(entity: EntityName): readonly (readonly string[])[] {
  return UNIQUE_KEYS[entity];
}

/** Field names end up inside JSON paths and Mongo queries: only plain identifiers are allowed. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertFieldName(field: string): void {
  if (!FIELD_NAME.test(field)) throw new TypeError(`store: invalid filter field name ${JSON.stringify(field)}`);
}

export type ScalarFilterValue = string | number | boolean | null;

/**
 * Filters are equality on top-level scalar fields. `null` matches a null or absent field in both
 * drivers. Objects and arrays are refused: their equality semantics differ between SQL-JSON and
 * Mongo (element match, key order), and no caller needs them.
 */
export function normaliseFilter(filter: object | undefined): [string, ScalarFilterValue][] {
  if (filter === undefined || filter === null) return [];
  const entries: [string, ScalarFilterValue][] = [];
  for (const [field, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    assertFieldName(field);
    if (value !== null && typeof value === 'object') {
      throw new TypeError(`store: filter on ${field} must be a string, number, boolean or null`);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`store: filter on ${field} must be a finite number`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean' && value !== null) {
      throw new TypeError(`store: filter on ${field} must be a string, number, boolean or null`);
    }
    entries.push([field, value]);
  }
  return entries;
}

/** Builds the stored record for a create: the store owns id (when absent) and the timestamps. */
export function stampNewRecord<T extends BaseRecord>(input: object, id: string, now: string): T {
  return { ...stripUndefined(input), id, createdAt: now, updatedAt: now } as T;
}

/** Applies a partial patch; id and createdAt are never patchable. */
export function applyPatch<T extends BaseRecord>(current: T, patch: object, now: string): T {
  const clean = stripUndefined(patch);
  delete clean.id;
  delete clean.createdAt;
  return { ...current, ...clean, id: current.id, createdAt: current.createdAt, updatedAt: now };
}

export function stripUndefined(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) if (member !== undefined) out[key] = member;
  return out;
}

/** ISO-8601 UTC with milliseconds: the one timestamp format stores write, so strings sort by time. */
export function isoNow(): string {
  return new Date().toISOString();
}
