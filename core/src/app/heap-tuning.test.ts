import { parseConfig } from '../config/load-config';
import { applyHeapTuning } from './heap-tuning';

describe('server.heapGrowingPercent', () => {
  it('sets V8 --heap-growing-percent when configured, and leaves V8 alone otherwise', () => {
    const flags: string[] = [];
    expect(applyHeapTuning({ heapGrowingPercent: 20 }, (f) => flags.push(f))).toBe(true);
    expect(applyHeapTuning({}, (f) => flags.push(f))).toBe(false);
    expect(flags).toEqual(['--heap-growing-percent=20']);
  });

  it('is validated with the rest of the config: a whole percentage between 5 and 400', () => {
    const env = { APP_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(parseConfig('server: { heapGrowingPercent: 20 }', env, 't').server.heapGrowingPercent).toBe(20);
    expect(() => parseConfig('server: { heapGrowingPercent: 1 }', env, 't')).toThrow(/heapGrowingPercent/);
    expect(() => parseConfig('server: { heapGrowingPercent: 12.5 }', env, 't')).toThrow(/heapGrowingPercent/);
  });
});
