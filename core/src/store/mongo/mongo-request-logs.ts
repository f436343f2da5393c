import type { mongo } from 'mongoose';
import type { Page, RequestLogQuery, RequestLogRecord, RequestLogStore, UsageSummaryQuery, UsageSummaryRow } from '../../spec/store';
import { assertSummaryQuery, decodeLogCursor, effectiveModel, encodeLogCursor, pageLimit } from '../paging';
import { UsageAccumulator } from '../summarize';
import { fromStored, toStored, type StoredDoc } from './mongo-documents';
import { onlyDuplicateKeyWriteErrors } from './mongo-errors';

/** Newest first; `_id` (the request id) breaks ties between equal timestamps. */
const NEWEST_FIRST: mongo.Sort = { at: -1, _id: -1 };

export class MongoRequestLogStore implements RequestLogStore {
  constructor(private readonly collection: mongo.Collection<StoredDoc>) {}

  /**
   * One unordered bulk insert per batch. A re-sent request id hits the `_id` index and is
   * ignored, so retrying a batch after a partial failure is safe.
   */
  async appendMany(records: RequestLogRecord[]): Promise<void> {
    if (records.length === 0) return;
    // `_model` is the model a request counts under, stored for filtering without an $or.
    const docs = records.map((record) => toStored(record, { _model: effectiveModel(record) }));
    try {
      await this.collection.insertMany(docs, { ordered: false });
    } catch (err) {
      if (!onlyDuplicateKeyWriteErrors(err)) throw err;
    }
  }

  async get(id: string): Promise<RequestLogRecord | null> {
    const doc = await this.collection.findOne({ _id: id });
    return doc ? fromStored<RequestLogRecord>(doc) : null;
  }

  async query(q: RequestLogQuery): Promise<Page<RequestLogRecord>> {
    const limit = pageLimit(q.limit);
    const cursor = decodeLogCursor(q.cursor);
    const and: Record<string, unknown>[] = [];
    const eq = (field: string, value: string | number | undefined): void => {
      if (value !== undefined) and.push({ [field]: value });
    };
    eq('projectId', q.projectId);
    eq('tokenId', q.tokenId);
    eq('provider', q.provider);
    eq('_model', q.model);
    eq('status', q.status);
    eq('errorCode', q.errorCode);
    if (q.from !== undefined) and.push({ at: { $gte: q.from } });
    if (q.to !== undefined) and.push({ at: { $lt: q.to } });
    if (cursor) and.push({ $or: [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor.id } }] });
    const filter = (and.length ? { $and: and } : {}) as mongo.Filter<StoredDoc>;
    // One extra document tells whether another page exists.
    const docs = await this.collection.find(filter).sort(NEWEST_FIRST).limit(limit + 1).toArray();
    const items = docs.slice(0, limit).map((doc) => fromStored<RequestLogRecord>(doc));
    const last = items[items.length - 1];
    return { items, nextCursor: docs.length > limit && last ? encodeLogCursor({ at: last.at, id: last.id }) : null };
  }

  /**
   * Grouped in process from a plain find bounded by the query's time range: FerretDB 1.x's
   * aggregation support is partial, and a find streams with a cursor, so memory stays flat.
   */
  async summarize(q: UsageSummaryQuery): Promise<UsageSummaryRow[]> {
    assertSummaryQuery(q);
    const filter: Record<string, unknown> = { at: { $gte: q.from, $lt: q.to } };
    if (q.projectId !== undefined) filter.projectId = q.projectId;
    const accumulator = new UsageAccumulator(q.groupBy);
    const cursor = this.collection.find(filter as mongo.Filter<StoredDoc>, {
      projection: { projectId: 1, provider: 1, modelResolved: 1, modelRequested: 1, tokenId: 1, inputTokens: 1, outputTokens: 1, costUsd: 1 },
      batchSize: 1000,
    });
    for await (const doc of cursor) accumulator.add(fromStored<RequestLogRecord>(doc));
    return accumulator.result();
  }
}
