import { createHash } from 'node:crypto';
import type { AuditEventRecord } from '../spec/store';

/** prevHash of the first event in a chain. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/**
 * Deterministic JSON: object keys sorted recursively, `undefined` members dropped (as
 * JSON.stringify does), arrays kept in order. Two drivers that store the same event must hash
 * it identically, whatever key order their storage hands back.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeysDeep(item)));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortKeysDeep(member);
    }
    return sorted;
  }
  return value;
}

/** The hashed part of an event: everything except its id and its own hash. */
export type AuditHashInput = Omit<AuditEventRecord, 'id' | 'hash'>;

/** hash = sha256hex(prevHash + canonicalJson(event without id and hash)). */
export function computeAuditHash(event: AuditHashInput | AuditEventRecord): string {
  const { id: _id, hash: _hash, ...hashed } = event as AuditEventRecord;
  return createHash('sha256').update(event.prevHash + canonicalJson(hashed)).digest('hex');
}

export type AuditChainProblem =
  | { seq: number; problem: 'seq_gap'; expectedSeq: number }
  | { seq: number; problem: 'prev_hash_mismatch'; expected: string; actual: string }
  | { seq: number; problem: 'hash_mismatch'; expected: string; actual: string };

/**
 * Checks a contiguous run of events (oldest first). `previous` is the event just before the run
 * (null when the run starts at seq 1). Returns the first problem found, or null.
 */
export function verifyAuditChain(
  events: readonly AuditEventRecord[],
  previous: Pick<AuditEventRecord, 'seq' | 'hash'> | null = null,
): AuditChainProblem | null {
  let expectedSeq = previous ? previous.seq + 1 : 1;
  let expectedPrev = previous ? previous.hash : AUDIT_GENESIS_HASH;
  for (const event of events) {
    if (event.seq !== expectedSeq) return { seq: event.seq, problem: 'seq_gap', expectedSeq };
    if (event.prevHash !== expectedPrev) {
      return { seq: event.seq, problem: 'prev_hash_mismatch', expected: expectedPrev, actual: event.prevHash };
    }
    const recomputed = computeAuditHash(event);
    if (recomputed !== event.hash) return { seq: event.seq, problem: 'hash_mismatch', expected: recomputed, actual: event.hash };
    expectedSeq += 1;
    expectedPrev = event.hash;
  }
  return null;
}
