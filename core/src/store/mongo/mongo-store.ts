import mongoose, { Schema, type Connection, type mongo } from 'mongoose';
import type { Logger } from '../../spec/plugin';
import { STORE_SPEC_VERSION, type Repository, type Store } from '../../spec/store';
import { ENTITY_NAMES, LOOKUP_FIELDS, STORAGE_NAMES, uniqueKeysOf, type EntityName, type EntityRecords } from '../entities';
import { MongoAuditStore, type AuditHeadDoc } from './mongo-audit';
import type { StoredDoc } from './mongo-documents';
import { MongoRepository } from './mongo-repository';
import { MongoRequestLogStore } from './mongo-request-logs';
import { MongoSettingsStore, type SettingDoc } from './mongo-settings';

export interface MongoStoreOptions {
  /** mongodb://… ; the database is the URI's path (or `dbName`). */
  uri: string;
  dbName?: string;
  logger?: Logger;
  /** How long to wait for a reachable server at start and per operation (ms). */
  serverSelectionTimeoutMs?: number;
}

type Repositories = { [K in EntityName]: Repository<EntityRecords[K]> };

/**
 * A schema that only declares indexes. Records are schemaless to mongoose (validation is the
 * config layer's job), and the driver reads and writes through the model's native collection:
 * mongoose document casting would drop empty objects and re-type values, while the store
 * contract promises exact round trips.
 */
function indexOnlySchema(): Schema {
  return new Schema({ _id: String }, { strict: false, versionKey: false, minimize: false, autoIndex: false, autoCreate: false });
}

function defineModels(connection: Connection): {
  entities: Record<EntityName, mongoose.Model<StoredDoc>>;
  requestLogs: mongoose.Model<StoredDoc>;
  auditEvents: mongoose.Model<StoredDoc>;
  auditHeads: mongoose.Model<AuditHeadDoc>;
  settings: mongoose.Model<SettingDoc>;
} {
  const entities = {} as Record<EntityName, mongoose.Model<StoredDoc>>;
  for (const entity of ENTITY_NAMES) {
    const schema = indexOnlySchema();
    uniqueKeysOf(entity).forEach((key, position) => {
      // Named ux_<n> so a duplicate-key error maps back to the key in UNIQUE_KEYS. Absent and
      // null members index as null, so a null subject still collides with another null.
      schema.index(Object.fromEntries(key.map((field) => [field, 1])), { unique: true, name: `ux_${position}` });
    });
    for (const field of LOOKUP_FIELDS[entity] ?? []) schema.index({ [field]: 1 }, { name: `ix_${field}` });
    entities[entity] = connection.model<StoredDoc>(entity, schema, STORAGE_NAMES[entity]);
  }

  const logs = indexOnlySchema();
  logs.index({ at: -1, _id: -1 }, { name: 'ix_at' });
  logs.index({ projectId: 1, at: -1 }, { name: 'ix_project_at' });
  logs.index({ tokenId: 1, at: -1 }, { name: 'ix_token_at' });

  const audit = indexOnlySchema();
  audit.index({ seq: 1 }, { unique: true, name: 'ux_seq' });
  audit.index({ projectId: 1, seq: -1 }, { name: 'ix_project_seq' });

  return {
    entities,
    requestLogs: connection.model<StoredDoc>('requestLogs', logs, 'request_logs'),
    auditEvents: connection.model<StoredDoc>('auditEvents', audit, 'audit_events'),
    auditHeads: connection.model<AuditHeadDoc>('auditHeads', indexOnlySchema(), 'audit_head'),
    settings: connection.model<SettingDoc>('settings', indexOnlySchema(), 'settings'),
  };
}

/** The model's collection as the native driver sees it (mongoose's Collection extends it). */
function nativeCollection<D extends mongo.Document>(model: mongoose.Model<D>): mongo.Collection<D> {
  return model.collection as unknown as mongo.Collection<D>;
}

/**
 * MongoDB (or FerretDB) store. Each store owns a dedicated connection, so two gateways in one
 * process never share mongoose's global connection.
 */
export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  // A timeout in the URI wins over our default; an explicit option wins over both.
  const uriSetsTimeout = /[?&]serverSelectionTimeoutMS=/i.test(options.uri);
  const serverSelectionTimeoutMS = options.serverSelectionTimeoutMs ?? (uriSetsTimeout ? undefined : 10_000);
  const connection = mongoose.createConnection(options.uri, {
    ...(options.dbName ? { dbName: options.dbName } : {}),
    ...(serverSelectionTimeoutMS === undefined ? {} : { serverSelectionTimeoutMS }),
    autoIndex: false,
    autoCreate: false,
  });
  try {
    await connection.asPromise();
    const models = defineModels(connection);
    // Indexes are built before the store is handed out: uniqueness must hold from the first write.
    for (const model of [...Object.values(models.entities), models.requestLogs, models.auditEvents]) await model.createIndexes();

    const repositories = Object.fromEntries(
      ENTITY_NAMES.map((entity) => [entity, new MongoRepository(nativeCollection(models.entities[entity]), entity, uniqueKeysOf(entity))]),
    ) as unknown as Repositories;
    const audit = new MongoAuditStore(nativeCollection(models.auditEvents), nativeCollection(models.auditHeads));
    await audit.init();

    let closed: Promise<void> | null = null;
    options.logger?.debug({ db: connection.name }, 'mongo store opened');
    return {
      specVersion: STORE_SPEC_VERSION,
      driver: 'mongo',
      ...repositories,
      requestLogs: new MongoRequestLogStore(nativeCollection(models.requestLogs)),
      audit,
      settings: new MongoSettingsStore(nativeCollection(models.settings)),
      async ping() {
        await connection.db!.command({ ping: 1 });
      },
      close() {
        closed ??= connection.close().then(() => undefined);
        return closed;
      },
    };
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
}
