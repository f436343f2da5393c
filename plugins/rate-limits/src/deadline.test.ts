import { settleWithin, TIMED_OUT } from './deadline';

describe('settleWithin', () => {
  it('returns the value of work that settles in time', async () => {
    await expect(settleWithin(Promise.resolve(42), 50)).resolves.toEqual({ ok: true, value: 42 });
  });
  it('returns the error of work that fails in time', async () => {
    const error = new Error('boom');
    await expect(settleWithin(Promise.reject(error), 50)).resolves.toEqual({ ok: false, error });
  });
  it('gives up on work that hangs, close to the deadline', async () => {
    const started = Date.now();
    const result = await settleWithin(new Promise<never>(() => {}), 30);
    expect(result).toBe(TIMED_OUT);
    // Generous against a loaded machine; the work itself never settles.
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
