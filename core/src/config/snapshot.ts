import type { ConfigSnapshot } from '../spec/plugin';
import type { AliasRecord, EndpointRecord, ProviderBindingRecord, Store, TokenRecord } from '../spec/store';

const group = <T, K extends keyof T & string>(records: T[], outer: K, inner: (r: T) => string): Map<string, Map<string, T>> => {
  const out = new Map<string, Map<string, T>>();
  for (const r of records) {
    const key = String(r[outer]);
    let m = out.get(key);
    if (!m) out.set(key, (m = new Map()));
    m.set(inner(r), r);
  }
  return out;
};

/** Reads everything the hot path needs in one go (a handful of queries, not one per request). */
export async function loadSnapshot(store: Store, version: number): Promise<ConfigSnapshot> {
  const [projects, tokens, aliases, bindings, credentials, endpoints, policies] = await Promise.all([
    store.projects.find(),
    store.tokens.find(),
    store.aliases.find(),
    store.bindings.find(),
    store.credentials.find(),
    store.endpoints.find(),
    store.policies.find({ current: true }),
  ]);
  const now = Date.now();
  const tokensByHash = new Map<string, TokenRecord>();
  for (const t of tokens) {
    tokensByHash.set(t.hash, t);
    // A rotated token's old secret keeps working until its grace period ends.
    if (t.previousHash && t.previousExpiresAt && Date.parse(t.previousExpiresAt) > now) tokensByHash.set(t.previousHash, t);
  }
  return {
    version,
    loadedAt: now,
    projects: new Map(projects.map((p) => [p.id, p])),
    tokensByHash,
    aliases: group<AliasRecord, 'projectId'>(aliases, 'projectId', (a) => a.name),
    bindings: group<ProviderBindingRecord, 'projectId'>(bindings, 'projectId', (b) => b.provider),
    credentials: new Map(credentials.map((c) => [c.id, c])),
    endpoints: group<EndpointRecord, 'projectId'>(endpoints, 'projectId', (e) => e.slug),
    policies,
  };
}

export const emptySnapshot = (): ConfigSnapshot => ({
  version: 0,
  loadedAt: Date.now(),
  projects: new Map(),
  tokensByHash: new Map(),
  aliases: new Map(),
  bindings: new Map(),
  credentials: new Map(),
  endpoints: new Map(),
  policies: [],
});
