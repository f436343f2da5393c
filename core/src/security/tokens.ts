import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenService } from '../spec/plugin';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 of 32 random bytes (~43 chars), rejection-sampled so every character is uniform. */
function randomBase62(bytes: number): string {
  const targetLength = Math.ceil((bytes * 8) / Math.log2(62));
  let out = '';
  while (out.length < targetLength) {
    for (const b of randomBytes(targetLength * 2)) {
      if (b < 248) out += BASE62[b % 62];
      if (out.length === targetLength) break;
    }
  }
  return out;
}

/**
 * API tokens `pc_live_…`, `pc_test_…`, admin keys `pc_admin_…`. Stored only as
 * HMAC-SHA256(pepper, plaintext): a leaked database does not yield usable tokens, and the
 * pepper (random, kept encrypted in the store's settings) survives APP_KEY rotation.
 */
export class HmacTokenService implements TokenService {
  constructor(private readonly pepper: Buffer) {
    if (pepper.length < 32) throw new Error('token pepper must be at least 32 bytes');
  }

  generate(environment: 'live' | 'test' | 'admin'): { plaintext: string; hash: string; prefix: string } {
    const plaintext = `pc_${environment}_${randomBase62(32)}`;
    return { plaintext, hash: this.hash(plaintext), prefix: displayPrefix(plaintext) };
  }

  hash(plaintext: string): string {
    return createHmac('sha256', this.pepper).update(plaintext, 'utf8').digest('hex');
  }

  equals(a: string, b: string): boolean {
    const left = Buffer.from(a, 'hex');
    const right = Buffer.from(b, 'hex');
    return left.length === right.length && timingSafeEqual(left, right);
  }
}

/** `pc_live_AbC1…` — enough to recognise a token in a list, useless to an attacker. */
export function displayPrefix(plaintext: string): string {
  const cut = plaintext.indexOf('_', 3) + 1;
  return `${plaintext.slice(0, cut + 4)}…`;
}

export function isTokenShaped(value: string): boolean {
  return /^pc_(live|test|admin)_[0-9A-Za-z]{20,}$/.test(value);
}
