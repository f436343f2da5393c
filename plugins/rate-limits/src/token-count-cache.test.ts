import { TokenCountCache } from './token-count-cache';
import { O200kTokenCounter } from './tokenizer';

const { count: countTokens } = new O200kTokenCounter();

const long = (word: string, times = 40): string => `${word} `.repeat(times);

describe('TokenCountCache', () => {
  it('gives the real tokenizer count, tokenizing a repeated text once', () => {
    const seen: string[] = [];
    const cache = new TokenCountCache({ count: (text) => (seen.push(text), countTokens(text)) });
    const prompt = long('You are a careful assistant.');
    expect(cache.count(prompt)).toBe(countTokens(prompt));
    expect(cache.count(prompt)).toBe(countTokens(prompt));
    expect(seen).toEqual([prompt]);
  });

  it('counts with its own o200k counter by default', () => {
    const cache = new TokenCountCache();
    const prompt = long('Résumé: naïve café, 東京 👍🏽');
    expect(cache.count('hello world')).toBe(2);
    expect(cache.count(prompt)).toBe(countTokens(prompt));
  });

  it('tokenizes short texts every time rather than holding them', () => {
    let calls = 0;
    const cache = new TokenCountCache({ count: (text) => (calls++, text.length) });
    cache.count('hi');
    cache.count('hi');
    expect(calls).toBe(2);
  });

  it('drops the least recently used texts once over its character budget', () => {
    const seen: string[] = [];
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((w) => long(w));
    // Room for exactly four of the five texts.
    const cache = new TokenCountCache({ maxChars: a!.length * 4, count: (text) => (seen.push(text[0]!), text.length) });
    for (const text of [a, b, c, d]) cache.count(text!);
    cache.count(a!); // a is now the most recently used: b is the oldest
    cache.count(e!); // evicts b
    cache.count(a!);
    cache.count(c!);
    cache.count(b!);
    expect(seen.join('')).toBe('abcdeb');
  });

  it('does not hold a text larger than a quarter of its budget', () => {
    let calls = 0;
    const big = long('big', 100);
    const cache = new TokenCountCache({ maxChars: big.length * 2, count: (text) => (calls++, text.length) });
    cache.count(big);
    cache.count(big);
    expect(calls).toBe(2);
  });
});
