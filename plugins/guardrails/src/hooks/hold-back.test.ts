import { holdBackStart, type HoldBackRules } from './hold-back';

const rules: HoldBackRules = { window: 256, detectEntities: true, detectsDateOfBirth: false, detectsPrivateKeys: false };
/** What may be emitted now from `buf` (nothing emitted before, no spans detected yet). */
const emittable = (buf: string, r: HoldBackRules = rules): string => buf.slice(0, holdBackStart(buf, 0, [], r));

describe('holdBackStart', () => {
  it('emits words that merely contain digits at once (they are not a grouped number)', () => {
    expect(emittable('word0 word1 word2 word3 ')).toBe('word0 word1 word2 word3 ');
    expect(emittable('see item1 and item2 ')).toBe('see item1 and item2 ');
  });

  it('holds only the trailing token that could still grow into an entity', () => {
    expect(emittable('Contact me at jane.doe@exam')).toBe('Contact me at ');
  });

  it('holds a card or phone number written in groups until it is complete', () => {
    expect(emittable('My card is 4111 1111 1111 ')).toBe('My card is ');
    expect(emittable('Call (212) 555-')).toBe('Call ');
    expect(emittable('Call +1 212 ')).toBe('Call ');
  });

  it('holds IBAN groups, whose country prefix and bank code mix capitals and digits', () => {
    expect(emittable('my iban: GB82 WEST 1234 ')).toBe('my iban: ');
    expect(emittable('pay to NL91 ABNA 0417 ')).toBe('pay to ');
  });

  it('never holds more than the window', () => {
    const long = `x ${'9'.repeat(400)}`;
    expect(emittable(long, { ...rules, window: 64 }).length).toBe(long.length - 64);
  });
});
