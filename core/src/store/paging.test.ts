import { GatewayError } from '../errors/gateway-error';
import { decodeAuditCursor, decodeLogCursor, encodeAuditCursor, encodeLogCursor, pageLimit } from './paging';

describe('page limits', () => {
  it('defaults to 50 and caps at 1000', () => {
    expect(pageLimit(undefined)).toBe(50);
    expect(pageLimit(1)).toBe(1);
    expect(pageLimit(5000)).toBe(1000);
  });

  it.each([0, -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %p', (limit) => {
    expect(() => pageLimit(limit)).toThrow(GatewayError);
  });
});

describe('cursors', () => {
  it('round-trip and are opaque url-safe strings', () => {
    const log = encodeLogCursor({ at: '2025-01-01T00:00:00.000Z', id: 'req-1' });
    expect(log).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeLogCursor(log)).toEqual({ at: '2025-01-01T00:00:00.000Z', id: 'req-1' });
    expect(decodeAuditCursor(encodeAuditCursor(42))).toBe(42);
    expect(decodeLogCursor(null)).toBeNull();
    expect(decodeLogCursor('')).toBeNull();
    expect(decodeAuditCursor(undefined)).toBeNull();
  });

  it.each(['%%%', 'bm90IGpzb24', Buffer.from('null').toString('base64url'), Buffer.from('{"a":"x"}').toString('base64url')])(
    'rejects the log cursor %p with a catalogued 400',
    (cursor) => {
      const err = (() => {
        try {
          decodeLogCursor(cursor);
          return null;
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).status).toBe(400);
      expect((err as GatewayError).param).toBe('cursor');
    },
  );

  it.each([Buffer.from('{"s":0}').toString('base64url'), Buffer.from('{"s":"3"}').toString('base64url'), encodeLogCursor({ at: 'a', id: 'b' })])(
    'rejects the audit cursor %p',
    (cursor) => {
      expect(() => decodeAuditCursor(cursor)).toThrow(GatewayError);
    },
  );
});
