import type { AuditEventInput, AuditEventRecord, AuditQuery } from '../spec/store';
import { computeAuditHash, type AuditHashInput } from './audit-hash';
import { stripUndefined } from './entities';

/**
 * Builds the next event of the chain. Members that are `undefined` are dropped before hashing
 * and storing, so what is stored is exactly what was hashed.
 */
export function buildAuditEvent(
  input: AuditEventInput,
  id: string,
  seq: number,
  prevHash: string,
  at: string,
): AuditEventRecord {
  const hashed = { ...stripUndefined(input), seq, at, prevHash } as AuditHashInput;
  return { ...hashed, id, hash: computeAuditHash(hashed) };
}

/** Whether an event passes a query's filters (for drivers that filter in process). */
export function auditMatches(event: AuditEventRecord, q: AuditQuery): boolean {
  if (q.projectId !== undefined && event.projectId !== q.projectId) return false;
  if (q.event !== undefined && event.event !== q.event) return false;
  if (q.eventPrefix !== undefined && !event.event.startsWith(q.eventPrefix)) return false;
  if (q.severity !== undefined && event.severity !== q.severity) return false;
  if (q.from !== undefined && event.at < q.from) return false;
  if (q.to !== undefined && event.at >= q.to) return false;
  return true;
}

export function assertRangeArgs(afterSeq: number, limit: number): void {
  if (!Number.isInteger(afterSeq) || afterSeq < 0) throw new TypeError('store: audit.range afterSeq must be an integer >= 0');
  if (!Number.isInteger(limit) || limit < 1) throw new TypeError('store: audit.range limit must be a positive integer');
}
