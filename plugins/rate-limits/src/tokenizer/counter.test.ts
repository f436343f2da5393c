import { countTokens } from 'gpt-tokenizer';
import { CORPUS, randomText, seededRandom } from './__fixtures__/corpus';
import { O200kTokenCounter } from './counter';

/**
 * The reference: gpt-tokenizer 3.4.0's countTokens (o200k_base) with special-token strings
 * treated as ordinary text. Its default throws on them instead (checked below); on any text
 * without them both calls are the same code path.
 */
const reference = (text: string): number => countTokens(text, { disallowedSpecial: new Set() });
const SPECIAL = /<\|(endoftext|fim_prefix|fim_middle|fim_suffix|im_start|im_end|im_sep|endofprompt)\|>/;

const counter = new O200kTokenCounter();

/** Texts where the counts differ, with both counts (empty when all agree). */
function mismatches(texts: readonly string[]): { text: string; ours: number; reference: number }[] {
  const out: { text: string; ours: number; reference: number }[] = [];
  for (const text of texts) {
    const ours = counter.count(text);
    const expected = reference(text);
    if (ours !== expected) out.push({ text: JSON.stringify(text.slice(0, 200)), ours, reference: expected });
  }
  return out;
}

describe('O200kTokenCounter equals gpt-tokenizer countTokens (o200k_base)', () => {
  it.each(Object.entries(CORPUS))('on the %s sample, whole and line by line', (_name, text) => {
    expect(mismatches([text, ...text.split('\n'), ...text.split(' ')])).toEqual([]);
    if (!SPECIAL.test(text)) expect(counter.count(text)).toBe(countTokens(text));
  });

  it('on a 200 KB mixed text', () => {
    const random = seededRandom(42);
    const samples = Object.values(CORPUS);
    const parts: string[] = [];
    let length = 0;
    while (length < 200_000) {
      const part = random() < 0.7 ? samples[Math.floor(random() * samples.length)]! : randomText(random, 400);
      parts.push(part);
      length += part.length;
    }
    const text = parts.join(random() < 0.5 ? '\n' : ' ');
    expect(text.length).toBeGreaterThanOrEqual(200_000);
    expect(counter.count(text)).toBe(reference(text));
  });

  it('on 4,000 seeded random strings from mixed Unicode ranges', () => {
    const random = seededRandom(20240611);
    const texts = Array.from({ length: 4000 }, () => randomText(random, 80));
    expect(mismatches(texts)).toEqual([]);
  });

  it('on 200 seeded random long strings (pieces past the scan limit go through the heap merge)', () => {
    const random = seededRandom(7);
    const texts = Array.from({ length: 200 }, () => randomText(random, 1500));
    expect(mismatches(texts)).toEqual([]);
  });

  it('on edge cases: empty, one character, repeated runs, BOMs, lone surrogates', () => {
    const texts = [
      '',
      'a',
      ' ',
      '\n',
      '\ufeff',
      '\ufeff\ufeff',
      '\ud800',
      '\udfff',
      '😀',
      ...['a', 'ab', ' ', '\n', '\r\n', '=', '中', '😀', '\ufeff', 'é', 'e\u0301', '9', "'s"].flatMap((unit) =>
        [2, 3, 64, 65, 129, 1000].map((times) => unit.repeat(times)),
      ),
    ];
    expect(mismatches(texts)).toEqual([]);
  });

  it('counts special-token strings as text, where gpt-tokenizer countTokens throws by default', () => {
    expect(() => countTokens('<|endoftext|>')).toThrow(/Disallowed special token/);
    expect(counter.count('<|endoftext|>')).toBe(7);
    expect(counter.count('a <|im_start|> b')).toBe(reference('a <|im_start|> b'));
  });

  it('mirrors gpt-tokenizer on a leading byte order mark (2 tokens, where tiktoken has 1)', () => {
    expect(counter.count('\ufeff')).toBe(2);
    expect(counter.count(' \ufeff')).toBe(1); // " \ufeff" is one token and not BOM-led
  });

  it('gives the same counts from separate instances, interleaved', () => {
    const other = new O200kTokenCounter();
    const texts = Object.values(CORPUS);
    for (const text of texts) expect(other.count(text)).toBe(counter.count(text));
  });
});
