import { WindowClock } from './window-key';

describe('WindowClock.keyFor', () => {
  const clock = new WindowClock();

  it('names months and days in the policy time zone, not UTC', () => {
    // 23:30 UTC on Nov 30 is already Dec 1 in Tokyo (UTC+9).
    const lateNov30Utc = new Date('2026-11-30T23:30:00Z');
    expect(clock.keyFor('monthly', 'UTC', lateNov30Utc)).toBe('2026-11');
    expect(clock.keyFor('monthly', 'Asia/Tokyo', lateNov30Utc)).toBe('2026-12');
    expect(clock.keyFor('daily', 'Asia/Tokyo', lateNov30Utc)).toBe('2026-12-01');
    // 05:00 UTC on Dec 1 is still Nov 30 in Los Angeles (UTC-8).
    const earlyDec1Utc = new Date('2026-12-01T05:00:00Z');
    expect(clock.keyFor('monthly', 'America/Los_Angeles', earlyDec1Utc)).toBe('2026-11');
    expect(clock.keyFor('daily', 'America/Los_Angeles', earlyDec1Utc)).toBe('2026-11-30');
  });

  it('switches exactly at local midnight of the 1st', () => {
    // Paris is UTC+1 in winter: Jan 1 00:00 local = Dec 31 23:00 UTC.
    expect(clock.keyFor('monthly', 'Europe/Paris', new Date('2026-12-31T22:59:59.999Z'))).toBe('2026-12');
    expect(clock.keyFor('monthly', 'Europe/Paris', new Date('2026-12-31T23:00:00.000Z'))).toBe('2027-01');
  });

  it('handles a daylight-saving day boundary', () => {
    // New York on 2026-03-08 (DST starts): midnight is 05:00 UTC, the next midnight 04:00 UTC.
    expect(clock.keyFor('daily', 'America/New_York', new Date('2026-03-08T04:59:00Z'))).toBe('2026-03-07');
    expect(clock.keyFor('daily', 'America/New_York', new Date('2026-03-08T05:00:00Z'))).toBe('2026-03-08');
    expect(clock.keyFor('daily', 'America/New_York', new Date('2026-03-09T03:59:00Z'))).toBe('2026-03-08');
    expect(clock.keyFor('daily', 'America/New_York', new Date('2026-03-09T04:00:00Z'))).toBe('2026-03-09');
  });

  it('has a single key for total windows', () => {
    expect(clock.keyFor('total', 'Asia/Tokyo', new Date('2020-01-01T00:00:00Z'))).toBe('total');
    expect(clock.keyFor('total', 'UTC', new Date('2030-06-01T00:00:00Z'))).toBe('total');
  });

  it('answers repeated asks within a minute from its cache, and a new minute afresh', () => {
    const cached = new WindowClock();
    // Same UTC minute, different seconds: one answer; the next minute crosses Tokyo midnight.
    expect(cached.keyFor('daily', 'Asia/Tokyo', new Date('2026-11-30T14:59:00Z'))).toBe('2026-11-30');
    expect(cached.keyFor('daily', 'Asia/Tokyo', new Date('2026-11-30T14:59:59.999Z'))).toBe('2026-11-30');
    expect(cached.keyFor('daily', 'Asia/Tokyo', new Date('2026-11-30T15:00:00Z'))).toBe('2026-12-01');
    // The cache is per window and zone: another zone in the same minute gets its own key.
    expect(cached.keyFor('daily', 'UTC', new Date('2026-11-30T15:00:00Z'))).toBe('2026-11-30');
    expect(cached.keyFor('monthly', 'Asia/Tokyo', new Date('2026-11-30T15:00:00Z'))).toBe('2026-12');
    // Going back in time (a clock step) is a different minute too, not a stale answer.
    expect(cached.keyFor('daily', 'Asia/Tokyo', new Date('2026-11-30T14:59:30Z'))).toBe('2026-11-30');
  });
});
