import { LocalWindow } from './local-window';

describe('LocalWindow', () => {
  let clock = 1_000;
  const now = (): number => clock;
  beforeEach(() => {
    clock = 1_000;
  });

  it('admits up to the limit, counts the refused consume, and says how long until the reset', () => {
    const w = new LocalWindow(3, 60_000, now);
    expect(w.consume(2)).toEqual({ admitted: true, remaining: 1, msBeforeReset: 60_000 });
    clock += 10_000;
    expect(w.consume(1)).toEqual({ admitted: true, remaining: 0, msBeforeReset: 50_000 });
    expect(w.consume(1)).toEqual({ admitted: false, remaining: 0, msBeforeReset: 50_000 });
    w.adjust(-1); // the caller gives the refused point back
    w.adjust(-1);
    expect(w.consume(1)).toEqual({ admitted: true, remaining: 0, msBeforeReset: 50_000 });
  });

  it('starts a fresh window at the first consume after the old one ended', () => {
    const w = new LocalWindow(2, 1_000, now);
    w.consume(2);
    expect(w.consume(1).admitted).toBe(false);
    clock += 1_000;
    expect(w.consume(1)).toEqual({ admitted: true, remaining: 1, msBeforeReset: 1_000 });
  });

  it('ignores adjustments once the window is over, so a late refund cannot leak into the next one', () => {
    const w = new LocalWindow(10, 1_000, now);
    w.consume(8);
    clock += 1_500;
    w.adjust(-8);
    expect(w.consume(1).remaining).toBe(9);
  });

  it('charges extra points and never counts below zero', () => {
    const w = new LocalWindow(10, 1_000, now);
    w.consume(2);
    w.adjust(5);
    expect(w.consume(1).remaining).toBe(2);
    w.adjust(-100);
    expect(w.consume(1).remaining).toBe(9);
  });
});
