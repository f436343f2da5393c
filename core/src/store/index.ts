export * from './create-store';
export * from './ids';
export * from './audit-hash';
export { DEFAULT_EMBEDDED_PATH, openEmbeddedStore, type EmbeddedStoreOptions } from './embedded/embedded-store';
// The Mongo driver is reached through createStore (loaded on demand); only its types are re-exported.
export type { MongoStoreOptions } from './mongo/mongo-store';
