import type { AliasRecord, ConfigSnapshot, EndpointRecord } from '@portcullis/core';
import { compileEndpointConfig, type CompiledEndpoint } from '../compiled-endpoint';

const AT = '2026-01-01T00:00:00.000Z';

export function compiledEndpoint(config: Record<string, unknown>): CompiledEndpoint {
  const compiled = compileEndpointConfig(config);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  return compiled.endpoint;
}

export const endpointRecord = (overrides: Partial<EndpointRecord> = {}): EndpointRecord => ({
  id: 'ep_1',
  createdAt: AT,
  updatedAt: AT,
  projectId: 'proj_1',
  slug: 'summarize',
  version: 1,
  active: true,
  config: { target: { provider: 'openai', model: 'gpt-4o-mini' } },
  ...overrides,
});

export const aliasRecord = (name: string, target: string, fallbacks: string[] = []): AliasRecord => ({
  id: `alias_${name}`,
  createdAt: AT,
  updatedAt: AT,
  projectId: 'proj_1',
  name,
  target,
  fallbacks,
  presets: {},
});

/** A snapshot holding only aliases (all endpoint-target resolution reads). */
export function snapshotWithAliases(aliases: AliasRecord[]): ConfigSnapshot {
  return {
    version: 1,
    loadedAt: 0,
    projects: new Map(),
    tokensByHash: new Map(),
    aliases: new Map([['proj_1', new Map(aliases.map((a) => [a.name, a]))]]),
    bindings: new Map(),
    credentials: new Map(),
    endpoints: new Map(),
    policies: [],
  };
}
