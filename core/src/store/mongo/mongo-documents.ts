/** A record as stored in Mongo: our string id becomes `_id`; everything else is kept verbatim. */
export interface StoredDoc {
  _id: string;
  [field: string]: unknown;
}

/** Fields the driver adds for its own queries; never part of a returned record. */
const DRIVER_FIELDS = new Set(['_id', '_model']);

export function toStored(record: { id: string } & object, extra: Record<string, unknown> = {}): StoredDoc {
  const { id, ...rest } = record as { id: string } & Record<string, unknown>;
  const doc: StoredDoc = { _id: id };
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) doc[key] = value;
  return Object.assign(doc, extra);
}

export function fromStored<T>(doc: StoredDoc): T {
  const record: Record<string, unknown> = { id: doc._id };
  for (const [key, value] of Object.entries(doc)) if (!DRIVER_FIELDS.has(key)) record[key] = value;
  return record as T;
}
