import { randomBytes } from 'node:crypto';
import type { SecretBox } from '../spec/plugin';
import type { Store } from '../spec/store';
import { HmacTokenService } from './tokens';

/**
 * The HMAC key for API tokens: random per deployment, stored encrypted under APP_KEY, created by
 * the first instance to start (setIfAbsent: concurrent first starts agree on one pepper).
 */
export async function openTokenService(store: Store, secrets: SecretBox): Promise<HmacTokenService> {
  const pepperEnc = await store.settings.setIfAbsent('token_pepper', secrets.encrypt(randomBytes(32).toString('base64')));
  return new HmacTokenService(Buffer.from(secrets.decrypt(pepperEnc), 'base64'));
}
