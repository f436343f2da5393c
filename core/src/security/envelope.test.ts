import { EnvelopeSecretBox, secretHint } from './envelope';

const KEY_A = 'a-very-long-app-key-number-one-0000';
const KEY_B = 'a-very-long-app-key-number-two-1111';

describe('EnvelopeSecretBox', () => {
  it('round-trips, with a fresh IV each time (no two ciphertexts alike)', () => {
    const box = new EnvelopeSecretBox(KEY_A);
    const a = box.encrypt('sk-secret-value');
    const b = box.encrypt('sk-secret-value');
    expect(a).not.toBe(b);
    expect(a).not.toContain('sk-secret-value');
    expect(box.decrypt(a)).toBe('sk-secret-value');
    expect(a.split('.')[0]).toBe('v1');
    expect(a.split('.')[1]).toBe(box.keyId);
  });

  it('refuses a tampered ciphertext (GCM authentication)', () => {
    const box = new EnvelopeSecretBox(KEY_A);
    const parts = box.encrypt('secret').split('.');
    const ct = Buffer.from(parts[4]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[4] = ct.toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
  });

  it('decrypts with a previous key during rotation and says what needs re-encrypting', () => {
    const old = new EnvelopeSecretBox(KEY_A);
    const envelope = old.encrypt('rotate-me');
    const rotated = new EnvelopeSecretBox(KEY_B, [KEY_A]);
    expect(rotated.decrypt(envelope)).toBe('rotate-me');
    expect(rotated.needsRotation(envelope)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('x'))).toBe(false);
    expect(() => new EnvelopeSecretBox(KEY_B).decrypt(envelope)).toThrow(/neither APP_KEY nor in APP_KEY_PREVIOUS/);
  });

  it('refuses short keys and malformed envelopes', () => {
    expect(() => new EnvelopeSecretBox('short')).toThrow(/at least 16/);
    expect(() => new EnvelopeSecretBox(KEY_A).decrypt('not-an-envelope')).toThrow(/not a Portcullis secret envelope/);
  });
});

describe('secretHint', () => {
  it('shows a recognisable but useless fragment', () => {
    expect(secretHint('sk-proj-abcdefghijkl9xQ2')).toBe('sk-…9xQ2');
    expect(secretHint('short')).toBe('…');
  });
});
