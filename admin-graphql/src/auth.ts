import type { PluginHost } from '@portcullis/core';
import type { AdminActor } from './context';
import { adminError } from './errors';

/** Don't write lastUsedAt on every request: once a minute per key is plenty for a dashboard. */
const LAST_USED_RESOLUTION_MS = 60_000;

type FailureReason = 'missing' | 'malformed' | 'unknown' | 'revoked';

/**
 * Resolves `Authorization: Bearer pc_admin_…` to an admin key by hash lookup (the plaintext is
 * never stored or compared). Every failure is audited as `auth.login_failed` with the reason
 * and ip, never with any part of the presented key, and surfaces as UNAUTHENTICATED (HTTP 401)
 * with one message for all reasons so a caller cannot probe which keys exist.
 */
export async function authenticateAdmin(host: PluginHost, authorization: string | undefined, ip: string | null): Promise<AdminActor> {
  const presented = bearerValue(authorization);
  const fail = (reason: FailureReason, keyId: string | null = null): never => {
    host.audit.record({
      event: 'auth.login_failed',
      severity: 'warning',
      actor: { type: 'anonymous', id: keyId },
      target: { type: 'admin_api' },
      metadata: { reason },
      ip,
    });
    throw adminError('UNAUTHENTICATED', 'A valid admin key is required: send `Authorization: Bearer pc_admin_…`.');
  };
  if (presented === null) return fail('missing');
  if (!/^pc_admin_[0-9A-Za-z]{20,}$/.test(presented)) return fail('malformed');

  const key = await host.store.adminKeys.findOne({ hash: host.tokens.hash(presented) });
  if (!key) return fail('unknown');
  if (!key.active) return fail('revoked', key.id);

  const lastUsed = key.lastUsedAt ? Date.parse(key.lastUsedAt) : 0;
  if (Date.now() - lastUsed > LAST_USED_RESOLUTION_MS) {
    // Best effort: bookkeeping must not fail an authenticated request.
    host.store.adminKeys.update(key.id, { lastUsedAt: new Date().toISOString() }).catch((err: unknown) => {
      host.logger.warn({ err: String(err), adminKeyId: key.id }, 'admin-graphql: could not record lastUsedAt');
    });
  }
  return { id: key.id, name: key.name, role: key.role };
}

function bearerValue(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? match[1]! : '';
}
