import type { mongo } from 'mongoose';
import { GatewayError } from '../../errors/gateway-error';
import type { AuditEventInput, AuditEventRecord, AuditQuery, AuditStore, Page } from '../../spec/store';
import { AUDIT_GENESIS_HASH } from '../audit-hash';
import { assertRangeArgs, buildAuditEvent } from '../audit-input';
import { isoNow } from '../entities';
import { newId } from '../ids';
import { decodeAuditCursor, encodeAuditCursor, pageLimit } from '../paging';
import { fromStored, toStored, type StoredDoc } from './mongo-documents';
import { isDuplicateKeyError } from './mongo-errors';

export const AUDIT_HEAD_ID = 'audit-head';

export interface AuditHeadDoc {
  _id: string;
  seq: number;
  hash: string;
}

/** Contention is bounded (a handful of gateway instances); past this something is wrong. */
const MAX_APPEND_ATTEMPTS = 200;

/**
 * A hash chain across instances without transactions:
 *  1. read the head `{_id:'audit-head', seq, hash}`;
 *  2. if an event with seq+1 already exists (its writer died before moving the head), move the
 *     head forward and start over;
 *  3. insert the next event; the unique index on `seq` lets exactly one appender win each seq;
 *  4. the winner moves the head with a compare-and-set on the old seq; losers start over.
 * Appends from one store instance queue behind each other, so retries only come from other
 * instances.
 */
export class MongoAuditStore implements AuditStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly events: mongo.Collection<StoredDoc>,
    private readonly heads: mongo.Collection<AuditHeadDoc>,
  ) {}

  /** Creates the head at seq 0 once; concurrent creators race harmlessly on `_id`. */
  async init(): Promise<void> {
    try {
      await this.heads.updateOne(
        { _id: AUDIT_HEAD_ID },
        { $setOnInsert: { seq: 0, hash: AUDIT_GENESIS_HASH } },
        { upsert: true },
      );
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }

  append(input: AuditEventInput): Promise<AuditEventRecord> {
    const run = this.queue.then(
      () => this.appendWithRetry(input),
      () => this.appendWithRetry(input),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async appendWithRetry(input: AuditEventInput): Promise<AuditEventRecord> {
    const id = newId();
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt += 1) {
      const head = (await this.heads.findOne({ _id: AUDIT_HEAD_ID })) ?? { _id: AUDIT_HEAD_ID, seq: 0, hash: AUDIT_GENESIS_HASH };
      const orphan = await this.events.findOne({ seq: head.seq + 1 });
      if (orphan) {
        await this.moveHead(head.seq, orphan.seq as number, orphan.hash as string);
        continue;
      }
      const event = buildAuditEvent(input, id, head.seq + 1, head.hash, isoNow());
      try {
        await this.events.insertOne(toStored(event));
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // Another instance took this seq: back off a little (jitter) and retry.
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 5)));
        continue;
      }
      await this.moveHead(head.seq, event.seq, event.hash);
      return event;
    }
    throw new GatewayError('GW_ERR_STORE_UNAVAILABLE', { message: 'The audit log is too contended to append to.' });
  }

  /** CAS: only moves the head from `fromSeq`; if someone else already moved it, that is fine. */
  private async moveHead(fromSeq: number, seq: number, hash: string): Promise<void> {
    await this.heads.updateOne({ _id: AUDIT_HEAD_ID, seq: fromSeq }, { $set: { seq, hash } });
  }

  async range(afterSeq: number, limit: number): Promise<AuditEventRecord[]> {
    assertRangeArgs(afterSeq, limit);
    const docs = await this.events.find({ seq: { $gt: afterSeq } }).sort({ seq: 1 }).limit(limit).toArray();
    return docs.map((doc) => fromStored<AuditEventRecord>(doc));
  }

  async query(q: AuditQuery): Promise<Page<AuditEventRecord>> {
    const limit = pageLimit(q.limit);
    const cursor = decodeAuditCursor(q.cursor);
    const and: Record<string, unknown>[] = [];
    if (q.projectId !== undefined) and.push({ projectId: q.projectId });
    if (q.event !== undefined) and.push({ event: q.event });
    if (q.eventPrefix !== undefined && q.eventPrefix !== '') {
      // A range instead of $regex: no escaping and index-friendly. Exact for event names in the
      // Basic Multilingual Plane (event names are ASCII `area.action`).
      and.push({ event: { $gte: q.eventPrefix, $lt: `${q.eventPrefix}\uffff` } });
    }
    if (q.severity !== undefined) and.push({ severity: q.severity });
    if (q.from !== undefined) and.push({ at: { $gte: q.from } });
    if (q.to !== undefined) and.push({ at: { $lt: q.to } });
    if (cursor !== null) and.push({ seq: { $lt: cursor } });
    const filter = (and.length ? { $and: and } : {}) as mongo.Filter<StoredDoc>;
    const docs = await this.events.find(filter).sort({ seq: -1 }).limit(limit + 1).toArray();
    const items = docs.slice(0, limit).map((doc) => fromStored<AuditEventRecord>(doc));
    const last = items[items.length - 1];
    return { items, nextCursor: docs.length > limit && last ? encodeAuditCursor(last.seq) : null };
  }
}
