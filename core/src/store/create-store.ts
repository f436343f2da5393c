import type { Logger } from '../spec/plugin';
import type { Store } from '../spec/store';
import { openEmbeddedStore } from './embedded/embedded-store';
import type * as MongoDriver from './mongo/mongo-store';

export type StoreConfig = { driver: 'embedded'; path: string } | { driver: 'mongo'; uri: string };

/** Opens the configured store. The embedded driver needs no server and is the default. */
export async function createStore(config: StoreConfig, logger?: Logger): Promise<Store> {
  switch (config.driver) {
    case 'embedded':
      return openEmbeddedStore({ path: config.path, ...(logger ? { logger } : {}) });
    case 'mongo':
      // Loaded on demand: mongoose costs startup time and memory that embedded deployments never need.
      return (require('./mongo/mongo-store') as typeof MongoDriver).openMongoStore({ uri: config.uri, ...(logger ? { logger } : {}) });
    default:
      throw new TypeError(`store: unknown driver ${JSON.stringify((config as { driver: unknown }).driver)}`);
  }
}
