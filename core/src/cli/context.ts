import { dirname, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../spec/plugin';
import type { Store } from '../spec/store';
import { resolveAppKey } from '../app/app-key';
import { loadConfigFile } from '../config/load-config';
import type { PortcullisConfig } from '../config/schema';
import { EnvelopeSecretBox } from '../security/envelope';
import { openTokenService } from '../security/token-pepper';
import type { HmacTokenService } from '../security/tokens';
import { createStore } from '../store';

export interface CliContext {
  config: PortcullisConfig;
  configPath: string;
  baseDir: string;
  store: Store;
  secrets: EnvelopeSecretBox;
  tokens: HmacTokenService;
  /** Tells running gateways to reload their snapshot (when Redis is configured). */
  announce(reason: string): Promise<void>;
  close(): Promise<void>;
}

export async function openCliContext(configPath: string, env: NodeJS.ProcessEnv, logger: Logger): Promise<CliContext> {
  const config = loadConfigFile(configPath, env);
  const baseDir = dirname(resolve(configPath));
  const storeConfig = config.store.driver === 'embedded' ? { driver: 'embedded' as const, path: resolve(baseDir, config.store.path) } : config.store;
  const environment = config.environment ?? (env['NODE_ENV'] === 'production' ? 'production' : 'development');
  const dataDir = storeConfig.driver === 'embedded' ? dirname(storeConfig.path) : resolve(baseDir, 'data');
  const { appKey, previous } = resolveAppKey(env, environment, dataDir, logger);
  const store = await createStore(storeConfig, logger);
  const secrets = new EnvelopeSecretBox(appKey, previous);
  const tokens = await openTokenService(store, secrets);
  return {
    config,
    configPath,
    baseDir,
    store,
    secrets,
    tokens,
    async announce(reason: string) {
      if (!config.redis) return;
      const redis = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
      try {
        await redis.connect();
        await redis.publish('portcullis:config-changed', `cli:${reason}`);
      } catch (err) {
        logger.warn({ err }, 'could not announce the change over Redis; running gateways pick it up on their refresh timer');
      } finally {
        redis.disconnect();
      }
    },
    close: () => store.close(),
  };
}
