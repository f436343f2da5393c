import type { NewRecord } from '../../spec/store';
import type { EntityName, EntityRecords } from '../entities';

export type SampleInput<K extends EntityName> = NewRecord<EntityRecords[K]>;

/**
 * A valid new record per entity. `n` varies every unique-key member, so samples with different
 * n never collide; the same n always does.
 */
export function sample<K extends EntityName>(entity: K, n: number, overrides: Partial<SampleInput<K>> = {}): SampleInput<K> {
  const base = (SAMPLES[entity] as (n: number) => SampleInput<K>)(n);
  return { ...base, ...overrides };
}

const SAMPLES: { [K in EntityName]: (n: number) => SampleInput<K> } = {
  projects: (n) => ({ name: `project-${n}`, type: 'ai_wrapper', environment: 'production', active: true, logBodies: false, metadata: { team: 'core' } }),
  credentials: (n) => ({ name: `cred-${n}`, provider: 'openai', secretEnc: `v1.enc.${n}`, hint: 'sk-…abcd', baseUrl: null, options: { region: 'eu' } }),
  bindings: (n) => ({ projectId: `p-${n}`, provider: 'openai', credentialId: `c-${n}`, enabled: true, baseUrl: null }),
  aliases: (n) => ({ projectId: `p-${n}`, name: 'fast', target: 'openai:gpt-4o-mini', fallbacks: ['anthropic:claude-3-5-haiku'], presets: { temperature: 0.2 } }),
  endpoints: (n) => ({ projectId: `p-${n}`, slug: 'summarize', version: 1, active: true, config: { model: 'fast', nested: { a: [1, 2] } } }),
  endpointVersions: (n) => ({ endpointId: `e-${n}`, projectId: 'p-1', version: 1, config: { model: 'fast' } }),
  tokens: (n) => ({
    projectId: 'p-1',
    name: `token-${n}`,
    environment: 'live',
    hash: `hash-${n}`,
    prefix: 'pc_live_AbC1',
    scopes: ['chat'],
    expiresAt: null,
    endpointAllowlist: [],
    subject: null,
    active: true,
    revokedAt: null,
    previousHash: null,
    previousExpiresAt: null,
    lastUsedAt: null,
    metadata: {},
  }),
  policies: (n) => ({ kind: 'rate_limit', level: 'project', projectId: `p-${n}`, targetId: null, version: 1, current: true, config: { rpm: 60 } }),
  oauthConnections: (n) => ({
    projectId: `p-${n}`,
    name: 'github',
    preset: 'github',
    subject: null,
    clientId: 'client',
    clientSecretEnc: 'v1.enc.secret',
    authorizeUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    scopes: ['repo'],
    status: 'pending',
  }),
  adminKeys: (n) => ({ name: `admin-${n}`, role: 'admin', hash: `admin-hash-${n}`, prefix: 'pc_admin_x', active: true, lastUsedAt: null }),
};

/** A field each entity can be patched on without touching a unique key. */
export const PATCHABLE: { [K in EntityName]: { field: keyof EntityRecords[K] & string; value: unknown } } = {
  projects: { field: 'active', value: false },
  credentials: { field: 'hint', value: 'sk-…wxyz' },
  bindings: { field: 'enabled', value: false },
  aliases: { field: 'target', value: 'anthropic:claude-sonnet-4' },
  endpoints: { field: 'active', value: false },
  endpointVersions: { field: 'config', value: { model: 'smart' } },
  tokens: { field: 'scopes', value: ['chat', 'embeddings'] },
  policies: { field: 'current', value: false },
  oauthConnections: { field: 'status', value: 'connected' },
  adminKeys: { field: 'role', value: 'viewer' },
};
