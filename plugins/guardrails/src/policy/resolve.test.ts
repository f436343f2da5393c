import { PRESETS } from './presets';
import { resolvePolicy } from './resolve';

describe('resolvePolicy', () => {
  it('defaults to balanced', () => {
    expect(resolvePolicy([])).toEqual(PRESETS.balanced);
  });

  it('takes the most specific preset as base, then merges levels per field, general first', () => {
    const resolved = resolvePolicy([
      { preset: 'strict', entities: { EMAIL: 'log_only' }, names: { timeoutMs: 80 } }, // global
      { entities: { PHONE: 'block' }, scanOutput: false }, // project
      { preset: 'relaxed', names: { onTimeout: 'allow' } }, // endpoint
      { entities: { EMAIL: 'mask' }, customPatterns: [{ name: 'EMP', pattern: 'EMP-\\d+', action: 'block' }] }, // token
    ]);
    expect(resolved.entities['EMAIL']).toBe('mask');
    expect(resolved.entities['PHONE']).toBe('block');
    expect(resolved.entities['IBAN']).toBe(PRESETS.relaxed.entities['IBAN']);
    expect(resolved.entities['EMP']).toBe('block');
    expect(resolved.scanOutput).toBe(false);
    expect(resolved.names).toEqual({ timeoutMs: 80, onTimeout: 'allow' });
    expect(resolved.promptInjection).toBe('off');
  });

  it('lets a more specific level replace a custom pattern of the same name', () => {
    const resolved = resolvePolicy([
      { customPatterns: [{ name: 'EMP', pattern: 'EMP-\\d+', action: 'block' }] },
      { customPatterns: [{ name: 'EMP', pattern: 'E-\\d+', action: 'log_only' }] },
    ]);
    expect(resolved.customPatterns).toEqual([{ name: 'EMP', pattern: 'E-\\d+', action: 'log_only' }]);
  });
});
