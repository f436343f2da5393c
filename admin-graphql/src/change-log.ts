import type { AuditEventInput, AuditSeverity } from '@portcullis/core';
import type { AdminContext } from './context';

export interface AdminAuditEvent {
  event: string;
  severity?: AuditSeverity;
  projectId?: string | null;
  target?: AuditEventInput['target'];
  /** Ids, names, flags and counts only: never secrets, token plaintext or prompt bodies. */
  metadata?: AuditEventInput['metadata'];
}

/** Records an audit event attributed to the calling admin key. */
export function recordAudit(ctx: AdminContext, event: AdminAuditEvent): void {
  ctx.host.audit.record({
    event: event.event,
    severity: event.severity ?? 'info',
    actor: { type: 'admin_key', id: ctx.actor.id, name: ctx.actor.name },
    projectId: event.projectId ?? null,
    target: event.target ?? null,
    metadata: event.metadata ?? {},
    ip: ctx.ip,
  });
}

/**
 * A write that changes hot-path config: audit it, then reload the in-memory snapshot (here and,
 * through the config service, on every other instance) before answering, so a script's next
 * client request already sees the change. The write itself has succeeded even if the reload
 * fails, so that failure is logged rather than reported as a failed mutation.
 */
export async function recordConfigChange(ctx: AdminContext, event: AdminAuditEvent): Promise<void> {
  recordAudit(ctx, event);
  try {
    await ctx.host.config.invalidate(`admin-graphql: ${event.event}`);
  } catch (err) {
    ctx.host.logger.error({ err: String(err), event: event.event }, 'admin-graphql: config reload after a change failed');
  }
}
