import { randomBytes } from 'node:crypto';
import { displayPrefix, HmacTokenService, isTokenShaped } from './tokens';

describe('HmacTokenService', () => {
  const service = new HmacTokenService(randomBytes(32));

  it('generates pc_<env>_ tokens with 32 random bytes of base62, hashed, shown once', () => {
    const t = service.generate('live');
    expect(t.plaintext).toMatch(/^pc_live_[0-9A-Za-z]{43}$/);
    expect(isTokenShaped(t.plaintext)).toBe(true);
    expect(t.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(t.hash).toBe(service.hash(t.plaintext));
    expect(t.prefix).toBe(`${t.plaintext.slice(0, 12)}…`);
    expect(service.generate('test').plaintext.startsWith('pc_test_')).toBe(true);
    expect(service.generate('admin').plaintext.startsWith('pc_admin_')).toBe(true);
  });

  it('never repeats a token', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => service.generate('live').plaintext));
    expect(seen.size).toBe(2000);
  });

  it('hashes with the pepper: another deployment gets another hash', () => {
    const other = new HmacTokenService(randomBytes(32));
    expect(other.hash('pc_live_x')).not.toBe(service.hash('pc_live_x'));
  });

  it('compares hashes in constant time and handles length mismatches', () => {
    const h = service.hash('a');
    expect(service.equals(h, h)).toBe(true);
    expect(service.equals(h, service.hash('b'))).toBe(false);
    expect(service.equals(h, 'abcd')).toBe(false);
  });

  it('refuses a short pepper', () => {
    expect(() => new HmacTokenService(Buffer.alloc(8))).toThrow();
  });
});

it('displayPrefix keeps the type and four characters', () => {
  expect(displayPrefix('pc_admin_AbCdEfGh')).toBe('pc_admin_AbCd…');
});
