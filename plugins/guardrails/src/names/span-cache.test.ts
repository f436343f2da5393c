import { NameSpanCache } from './span-cache';

const span = (start: number) => [{ type: 'PERSON', start, end: start + 4 }];

describe('NameSpanCache', () => {
  it('returns what was stored, and nothing for unknown snippets', () => {
    const cache = new NameSpanCache(4);
    cache.set(NameSpanCache.keyOf('met Jane Doe'), span(4));
    expect(cache.get(NameSpanCache.keyOf('met Jane Doe'))).toEqual(span(4));
    expect(cache.get(NameSpanCache.keyOf('met Jane Do'))).toBeUndefined();
    cache.set(NameSpanCache.keyOf('nothing'), []);
    expect(cache.get(NameSpanCache.keyOf('nothing'))).toEqual([]);
  });

  it('keys by digest, so it holds no snippet text', () => {
    const key = NameSpanCache.keyOf('met Jane Doe');
    expect(key).not.toContain('Jane');
    expect(key).toHaveLength(44);
    expect(NameSpanCache.keyOf('met Jane Doe')).toBe(key);
  });

  it('evicts the least recently used entry beyond its bound; a read counts as use', () => {
    const cache = new NameSpanCache(2);
    cache.set('a', span(1));
    cache.set('b', span(2));
    expect(cache.get('a')).toEqual(span(1));
    cache.set('c', span(3));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(span(1));
    expect(cache.get('c')).toEqual(span(3));
    // Replacing an entry does not grow the cache.
    cache.set('c', span(5));
    expect([cache.size, cache.get('c')]).toEqual([2, span(5)]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a bound of %p', (bound) => {
    expect(() => new NameSpanCache(bound)).toThrow(RangeError);
  });
});
