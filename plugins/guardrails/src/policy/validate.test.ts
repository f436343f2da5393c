import { findBacktrackingRisk } from './redos';
import { validateGuardrailPolicy } from './validate';

describe('custom pattern backtracking check', () => {
  it.each([
    ['(a+)+$', 'nests'],
    ['(\\w+\\s?)*$', 'nests'],
    ['(a{1,100}){1,100}', 'nests'],
    ['(a|ab)*c', 'alternation'],
    ['(\\w|\\d)+x', 'alternation'],
    ['\\d+\\d+x', 'unbounded repeats in a row'],
    ['.*.*=', 'unbounded repeats in a row'],
    ['\\d+\\s*\\d+', 'unbounded repeats in a row'],
    ['(a)\\1', 'backreference'],
    ['(?<x>a)\\k<x>', 'backreference'],
    ['(unclosed', 'not a valid regular expression'],
    ['[z-a]', 'not a valid regular expression'],
  ])('rejects %s', (pattern, why) => {
    expect(findBacktrackingRisk(pattern)).toContain(why);
  });

  it.each(['EMP-\\d{6}', '\\b[A-Z]{2}\\d{6}[A-D]\\b', 'project (alpha|beta|gamma)', '(?:ab|cd)+', 'x\\d+y\\d+', '[^\\s@]+@corp\\.example'])(
    'accepts %s',
    (pattern) => {
      expect(findBacktrackingRisk(pattern)).toBeNull();
    },
  );

  it('widens letters for the i flag before checking alternation', () => {
    expect(findBacktrackingRisk('(a|B)+')).toBeNull();
    expect(findBacktrackingRisk('(a|A)+', 'i')).toContain('alternation');
  });
});

describe('validateGuardrailPolicy', () => {
  it('accepts a full policy', () => {
    const result = validateGuardrailPolicy({
      preset: 'strict',
      entities: { EMAIL: 'redact_reversible' },
      names: { timeoutMs: 40, onTimeout: 'allow' },
      customPatterns: [{ name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}', action: 'mask' }],
    });
    expect(result.ok).toBe(true);
  });

  it('rejects a catastrophic pattern with a clear message and path', () => {
    const result = validateGuardrailPolicy({ customPatterns: [{ name: 'BAD', pattern: '(a+)+$', action: 'block' }] });
    expect(result).toEqual({ ok: false, issues: [{ path: 'customPatterns.0.pattern', message: expect.stringMatching(/^Pattern BAD nests a repeated expression/) }] });
  });

  it.each([
    [{ entities: { EMAIL: 'shred' } }, 'entities.EMAIL'],
    [{ entities: { NOT_A_TYPE: 'mask' } }, 'entities'],
    [{ preset: 'paranoid' }, 'preset'],
    [{ extra: true }, ''],
    [{ customPatterns: [{ name: 'EMAIL', pattern: 'x', action: 'mask' }] }, 'customPatterns.0.name'],
    [{ customPatterns: [{ name: 'lower', pattern: 'x', action: 'mask' }] }, 'customPatterns.0.name'],
    [{ customPatterns: [{ name: 'FLAGS', pattern: 'x', flags: 'g', action: 'mask' }] }, 'customPatterns.0.flags'],
    [{ customPatterns: [{ name: 'EMPTY', pattern: 'x*', action: 'mask' }] }, 'customPatterns.0.pattern'],
    [{ customPatterns: [{ name: 'DUP', pattern: 'a', action: 'mask' }, { name: 'DUP', pattern: 'b', action: 'mask' }] }, 'customPatterns.1.name'],
    [{ names: { onTimeout: 'maybe' } }, 'names.onTimeout'],
    [{ phoneRegions: ['usa'] }, 'phoneRegions.0'],
    [{ streamWindow: 100000 }, 'streamWindow'],
  ])('rejects %j at %s', (config, path) => {
    const result = validateGuardrailPolicy(config);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });
});
