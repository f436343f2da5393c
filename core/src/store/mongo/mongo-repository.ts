import type { mongo } from 'mongoose';
import type { BaseRecord, Filter, NewRecord, Repository } from '../../spec/store';
import { isoNow, normaliseFilter, stripUndefined } from '../entities';
import { newId } from '../ids';
import { fromStored, toStored, type StoredDoc } from './mongo-documents';
import { isDuplicateKeyError, toConflictError } from './mongo-errors';

/** Equality filter in Mongo terms; `id` is `_id`. `null` matches null or absent, as in SQL. */
export function toMongoFilter(filter: object | undefined): mongo.Filter<StoredDoc> {
  const query: Record<string, unknown> = {};
  for (const [field, value] of normaliseFilter(filter)) query[field === 'id' ? '_id' : field] = value;
  return query as mongo.Filter<StoredDoc>;
}

/** Stable listing order: creation time, then id (Mongo has no insertion order guarantee). */
const LIST_ORDER: mongo.Sort = { createdAt: 1, _id: 1 };

/**
 * Every write is one atomic single-document operation (no transactions), so the driver works on
 * standalone servers and FerretDB. Uniqueness is the server's unique indexes' job.
 */
export class MongoRepository<T extends BaseRecord> implements Repository<T> {
  constructor(
    private readonly collection: mongo.Collection<StoredDoc>,
    private readonly entity: string,
    private readonly uniqueKeys: readonly (readonly string[])[],
  ) {}

  async get(id: string): Promise<T | null> {
    const doc = await this.collection.findOne({ _id: id });
    return doc ? fromStored<T>(doc) : null;
  }

  async findOne(filter: Filter<T>): Promise<T | null> {
    const docs = await this.collection.find(toMongoFilter(filter)).sort(LIST_ORDER).limit(1).toArray();
    return docs[0] ? fromStored<T>(docs[0]) : null;
  }

  async find(filter?: Filter<T>): Promise<T[]> {
    const docs = await this.collection.find(toMongoFilter(filter)).sort(LIST_ORDER).toArray();
    return docs.map((doc) => fromStored<T>(doc));
  }

  async create(input: NewRecord<T>): Promise<T> {
    const now = isoNow();
    const record = { ...stripUndefined(input), id: input.id ?? newId(), createdAt: now, updatedAt: now } as unknown as T;
    const doc = toStored(record);
    await this.guard(() => this.collection.insertOne(doc), () => this.collidingKey(doc, true));
    return record;
  }

  async update(id: string, patch: Partial<Omit<T, 'id' | 'createdAt'>>): Promise<T | null> {
    const set = stripUndefined(patch);
    delete set.id;
    delete set._id;
    delete set.createdAt;
    set.updatedAt = isoNow();
    const doc = await this.guard(
      () => this.collection.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after', includeResultMetadata: false }),
      async () => {
        const current = await this.collection.findOne({ _id: id });
        return current ? this.collidingKey({ ...current, ...set, _id: id }, false) : null;
      },
    );
    return doc ? fromStored<T>(doc) : null;
  }

  async upsert(filter: Filter<T>, input: NewRecord<T>): Promise<T> {
    const query = toMongoFilter(filter);
    if (Object.keys(query).length === 0) throw new TypeError(`store: ${this.entity}.upsert needs a non-empty filter`);
    const attempt = async (): Promise<T> => {
      const now = isoNow();
      const set: Record<string, unknown> = { ...stripUndefined(input), ...stripUndefined(filter), updatedAt: now };
      const id = (set.id as string | undefined) ?? newId();
      delete set.id;
      delete set.createdAt;
      const doc = await this.collection.findOneAndUpdate(
        query,
        { $set: set, $setOnInsert: { _id: id, createdAt: now } },
        { upsert: true, returnDocument: 'after', includeResultMetadata: false },
      );
      if (!doc) throw new Error(`store: ${this.entity}.upsert returned no document`);
      return fromStored<T>(doc);
    };
    try {
      return await attempt();
    } catch (err) {
      // Two upserts that both found nothing race to insert; the loser hits the unique index.
      // By now the winner's record exists, so a second try updates it.
      if (!isDuplicateKeyError(err)) throw err;
      return this.guard(attempt, () => this.collidingKey({ _id: '', ...stripUndefined(input), ...stripUndefined(filter) }, false));
    }
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.collection.deleteOne({ _id: id });
    return result.deletedCount > 0;
  }

  /** Runs a write, turning a duplicate-key failure into StoreConflictError. */
  private async guard<R>(op: () => Promise<R>, probe: () => Promise<string[] | null>): Promise<R> {
    try {
      return await op();
    } catch (err) {
      throw (await toConflictError(err, this.entity, this.uniqueKeys, probe)) ?? err;
    }
  }

  /**
   * Error path only: which key of `doc` collides with another record, for servers whose
   * duplicate-key message does not name the index.
   */
  private async collidingKey(doc: StoredDoc, checkId: boolean): Promise<string[] | null> {
    if (checkId && (await this.collection.findOne({ _id: doc._id }))) return ['id'];
    for (const key of this.uniqueKeys) {
      const query: Record<string, unknown> = { _id: { $ne: doc._id } };
      for (const field of key) query[field] = doc[field] ?? null;
      if (await this.collection.findOne(query as mongo.Filter<StoredDoc>)) return [...key];
    }
    return null;
  }
}
