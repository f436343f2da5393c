export * from './create-store';
export * from './ids';
export * from './audit-hash';
export { DEFAULT_EMBEDDED_PATH, openEmbeddedStore, type EmbeddedStoreOptions } from './embedded/embedded-store';
export { openMongoStore, type MongoStoreOptions } from './mongo/mongo-store';
