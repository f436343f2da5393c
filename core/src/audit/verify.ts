import type { AuditEventRecord, AuditStore } from '../spec/store';
import { AUDIT_GENESIS_HASH, computeAuditHash } from '../store/audit-hash';

/** Computes an event's chain hash from its stored fields (its own `hash` and `id` are ignored). */
export type AuditHashFn = (event: AuditEventRecord) => string;

export type AuditBreakReason = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch';

export interface AuditVerifyResult {
  ok: boolean;
  /** Events examined, including the broken one when the chain is broken. */
  checked: number;
  /** Seq of the first event that does not link or hash correctly; null when ok. */
  brokenAtSeq: number | null;
  reason: AuditBreakReason | null;
}

export interface AuditVerifyOptions {
  hashFn?: AuditHashFn;
  /** Events fetched per range() call: bounds memory on chains of any length. */
  pageSize?: number;
}

/**
 * Walks the whole hash chain, oldest first, page by page, and names the first broken link.
 * An edited event shows up as `hash_mismatch` at its own seq (its stored hash no longer matches
 * its content); a deleted event as `seq_gap`; a re-hashed forgery as `prev_hash_mismatch` on the
 * event after it. Stops at the first problem: everything after it is untrustworthy anyway.
 */
export async function verifyAuditStore(store: AuditStore, options: AuditVerifyOptions = {}): Promise<AuditVerifyResult> {
  const hashFn = options.hashFn ?? computeAuditHash;
  const pageSize = options.pageSize ?? 500;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a positive integer');

  let checked = 0;
  let expectedSeq = 1;
  let expectedPrevHash = AUDIT_GENESIS_HASH;
  for (;;) {
    const page = await store.range(expectedSeq - 1, pageSize);
    for (const event of page) {
      checked += 1;
      const reason = linkProblem(event, expectedSeq, expectedPrevHash, hashFn);
      if (reason) return { ok: false, checked, brokenAtSeq: event.seq, reason };
      expectedSeq += 1;
      expectedPrevHash = event.hash;
    }
    if (page.length < pageSize) return { ok: true, checked, brokenAtSeq: null, reason: null };
  }
}

function linkProblem(event: AuditEventRecord, expectedSeq: number, expectedPrevHash: string, hashFn: AuditHashFn): AuditBreakReason | null {
  if (event.seq !== expectedSeq) return 'seq_gap';
  if (event.prevHash !== expectedPrevHash) return 'prev_hash_mismatch';
  if (hashFn(event) !== event.hash) return 'hash_mismatch';
  return null;
}
