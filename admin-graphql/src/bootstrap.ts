import { displayPrefix, StoreConflictError, type PluginHost } from '@portcullis/core';
import type { AdminGraphqlConfig } from './config';

/**
 * Ensures the configured admin keys exist (by hash). Idempotent across restarts and instances;
 * a key that was revoked through the API stays revoked: boot never re-activates it.
 */
export async function ensureBootstrapKeys(host: PluginHost, keys: AdminGraphqlConfig['bootstrapKeys']): Promise<void> {
  for (const key of keys) {
    const hash = host.tokens.hash(key.value);
    if (await host.store.adminKeys.findOne({ hash })) continue;
    try {
      const created = await host.store.adminKeys.create({ name: key.name, role: key.role, hash, prefix: displayPrefix(key.value), active: true, lastUsedAt: null });
      host.audit.record({
        event: 'admin_key.created',
        severity: 'warning',
        actor: { type: 'system', name: 'admin-graphql bootstrap' },
        target: { type: 'admin_key', id: created.id, name: created.name },
        metadata: { role: created.role, prefix: created.prefix, source: 'config' },
      });
    } catch (err) {
      // Another instance booting at the same moment created it first.
      if (!(err instanceof StoreConflictError)) throw err;
    }
  }
}
