import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { SecretBox } from '../spec/plugin';

/**
 * AES-256-GCM envelope encryption under APP_KEY, with a key id so keys can rotate:
 *   v1.<kid>.<iv b64url>.<tag b64url>.<ciphertext b64url>
 * The data key is derived from APP_KEY with HKDF; the kid is a short hash of the derived key,
 * so a ciphertext names the key that can open it without revealing anything about it.
 */
const VERSION = 'v1';

interface DerivedKey {
  kid: string;
  key: Buffer;
}

export function deriveKey(appKey: string): DerivedKey {
  if (appKey.length < 16) throw new Error('APP_KEY must be at least 16 characters (32 random bytes, base64, recommended)');
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(appKey, 'utf8'), 'portcullis', 'secret-envelope-v1', 32));
  const kid = createHash('sha256').update(key).digest('hex').slice(0, 8);
  return { kid, key };
}

export class EnvelopeSecretBox implements SecretBox {
  private readonly current: DerivedKey;
  private readonly byKid = new Map<string, DerivedKey>();

  constructor(appKey: string, previousKeys: readonly string[] = []) {
    this.current = deriveKey(appKey);
    this.byKid.set(this.current.kid, this.current);
    for (const previous of previousKeys) {
      const derived = deriveKey(previous);
      if (!this.byKid.has(derived.kid)) this.byKid.set(derived.kid, derived);
    }
  }

  get keyId(): string {
    return this.current.kid;
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(`${VERSION}.${this.current.kid}`));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.current.kid, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  decrypt(envelope: string): string {
    const parts = envelope.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new Error('not a Portcullis secret envelope');
    const [, kid, ivText, tagText, ctText] = parts as [string, string, string, string, string];
    const key = this.byKid.get(kid);
    if (!key) throw new Error(`secret was encrypted under key ${kid}, which is neither APP_KEY nor in APP_KEY_PREVIOUS`);
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(ivText, 'base64url'));
    decipher.setAAD(Buffer.from(`${VERSION}.${kid}`));
    decipher.setAuthTag(Buffer.from(tagText, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ctText, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when the envelope is under an older key and should be re-encrypted. */
  needsRotation(envelope: string): boolean {
    return envelope.split('.')[1] !== this.current.kid;
  }
}

/** Masked display hint: `sk-…9xQ2` (first 3 chars, last 4), never enough to use the secret. */
export function secretHint(secret: string): string {
  if (secret.length <= 8) return '…';
  return `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}

export function generateAppKey(): string {
  return randomBytes(32).toString('base64');
}
