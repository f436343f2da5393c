import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../spec/plugin';
import { generateAppKey } from '../security/envelope';

/**
 * APP_KEY from the environment. Production refuses to start without one; development
 * generates one, keeps it beside the embedded database, and says so loudly, because losing it
 * means losing every stored secret.
 */
export function resolveAppKey(env: NodeJS.ProcessEnv, environment: string, dataDir: string, logger: Logger): { appKey: string; previous: string[] } {
  const previous = (env['APP_KEY_PREVIOUS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const fromEnv = env['APP_KEY'];
  if (fromEnv) return { appKey: fromEnv, previous };
  if (environment === 'production') throw new Error('APP_KEY is not set. Production refuses to start without it: generate one with `openssl rand -base64 32`.');
  const file = join(dataDir, 'app-key');
  if (existsSync(file)) {
    logger.warn({ file }, 'APP_KEY not set: using the development key stored beside the database. Set APP_KEY in production.');
    return { appKey: readFileSync(file, 'utf8').trim(), previous };
  }
  mkdirSync(dirname(file), { recursive: true });
  const appKey = generateAppKey();
  writeFileSync(file, `${appKey}\n`, { mode: 0o600 });
  logger.warn({ file }, '!!! APP_KEY not set: generated a development key and saved it. Back it up or set APP_KEY; without it stored secrets cannot be decrypted. !!!');
  return { appKey, previous };
}
