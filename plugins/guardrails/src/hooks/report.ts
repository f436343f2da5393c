import type { AuditEventInput, PluginHost, RequestContext } from '@portcullis/core';
import type { Direction, Findings } from '../actions/findings';

/**
 * Audit events and log annotations for what guardrails did: entity types and counts, never
 * values. `guardrail.blocked` when a request or response was refused, `guardrail.masked` when
 * values were masked or redacted, and a note when the name check was skipped.
 */
export function reportFindings(host: PluginHost, ctx: RequestContext, direction: Direction, findings: Findings): void {
  if (findings.empty) return;
  const masked = [findings.summary('mask'), findings.summary('redact_reversible')].filter((s) => s !== '').join(',');
  const detected = findings.summary('log_only');
  if (detected !== '') ctx.logAnnotations.metadata[`guardrail.${direction}.detected`] = detected;
  if (masked !== '') {
    ctx.logAnnotations.metadata[`guardrail.${direction}.masked`] = masked;
    host.audit.record(auditEvent(ctx, 'guardrail.masked', 'info', {
      direction,
      types: [...new Set([...findings.types('mask'), ...findings.types('redact_reversible')])].sort().join(','),
      counts: masked,
      count: findings.count('mask') + findings.count('redact_reversible'),
    }));
  }
  const blocked = findings.summary('block');
  if (blocked !== '') {
    ctx.logAnnotations.metadata[`guardrail.${direction}.blocked`] = blocked;
    host.audit.record(auditEvent(ctx, 'guardrail.blocked', 'warning', {
      direction,
      types: findings.types('block').join(','),
      counts: blocked,
      count: findings.count('block'),
    }));
  }
}

export function reportNamesSkipped(host: PluginHost, ctx: RequestContext, reason: string, outcome: 'allowed' | 'blocked'): void {
  ctx.logAnnotations.metadata['guardrail.names'] = `${outcome}:${reason}`;
  host.audit.record(auditEvent(ctx, 'guardrail.names_skipped', outcome === 'blocked' ? 'warning' : 'info', { reason, outcome }));
}

function auditEvent(
  ctx: RequestContext,
  event: string,
  severity: AuditEventInput['severity'],
  metadata: Record<string, string | number>,
): AuditEventInput {
  const token = ctx.auth?.token;
  return {
    event,
    severity,
    actor: token !== undefined ? { type: 'token', id: token.id, name: token.name } : { type: 'anonymous' },
    projectId: ctx.project?.id ?? token?.projectId ?? null,
    target: { type: 'request', id: ctx.id },
    metadata: { ...metadata, requestId: ctx.id },
    ip: ctx.ip,
  };
}
