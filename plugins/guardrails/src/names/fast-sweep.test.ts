import { loadIsolatedCompromise, taggingTexts } from '../__fixtures__/names/compromise-under-test';
import { fasterBulkMatch, type BulkMatch, type SweepMethods, type SweepNet, type SweepPattern } from './fast-sweep';
import type { TaggedTerm } from './tag-snippets';

/** compromise's surface as far as these tests use it (it ships no types for its internals). */
interface Compromise {
  (text: string): { docs: TaggedTerm[][]; document: TaggedTerm[][] };
  plugin(plugin: unknown): void;
  buildNet(matches: unknown[]): SweepNet;
  methods(): SweepMethods & { one: { bulkMatch: BulkMatch }; two: { quickSplit(docs: unknown[][]): TaggedTerm[][] } };
  world(): { model: { two: { matches: unknown[] } } };
}
const loadCompromise = (): Compromise => loadIsolatedCompromise<Compromise>();
const texts = taggingTexts(4);

const pairs = (results: unknown[]): string[] =>
  results.map((r) => {
    const { match, pointer } = r as { match: string; pointer: number[] };
    return `${match} @ ${pointer.join(',')}`;
  });

describe('fasterBulkMatch', () => {
  const nlp = loadCompromise();
  const methods = nlp.methods();
  const stock = methods.one.bulkMatch;
  const fast = fasterBulkMatch(stock);
  // The post-tagger's own net is private to compromise; an identical one from the same patterns.
  const net = nlp.buildNet(structuredClone(nlp.world().model.two.matches));

  it('picks the same patterns, in the same order, with the same hits as the stock function', () => {
    let hits = 0;
    for (const text of texts) {
      const document = methods.two.quickSplit(nlp(text).docs);
      const expected = pairs(stock(document, net, methods));
      expect({ text, found: pairs(fast(document, net, methods)) }).toEqual({ text, found: expected });
      expect({ text, first: pairs(fast(document, net, methods, { matchOne: true })) }).toEqual({ text, first: pairs(stock(document, net, methods, { matchOne: true })) });
      hits += expected.length;
    }
    // The comparison means something only if patterns do hit.
    expect(hits).toBeGreaterThan(texts.length);
  });

  it('tags every term exactly as stock compromise does once installed', () => {
    const patched = loadCompromise();
    patched.plugin({ methods: { one: { bulkMatch: fasterBulkMatch(patched.methods().one.bulkMatch) } } });
    const tags = (n: Compromise, text: string): string[] => n(text).document.flat().map((t) => `${t.text}:${[...t.tags].sort().join('|')}`);
    for (const text of texts) expect({ text, tags: tags(patched, text) }).toEqual({ text, tags: tags(nlp, text) });
  });

  it('matches stock on random nets: order across keys, needs, wants, ifNo, minimum words', () => {
    // A seeded PRNG, fake sentences (their word/tag sets) and a fake matcher that hits on
    // some patterns: the choice and order of patterns is all that is compared.
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const WORDS = ['a', 'b', 'c', 'd', '#X', '#Y', '#Z', '#W', '%s%', 'e'];
    let hits = 0;
    for (let round = 0; round < 200; round++) {
      const patterns: SweepPattern[] = Array.from({ length: 12 }, (_, i) => {
        const needs = [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => pick(WORDS)))];
        const wants = [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => pick(WORDS)))];
        return { match: `p${i}`, needs, wants, minWant: wants.length === 0 ? 0 : 1 + Math.floor(random() * wants.length), minWords: 1 + Math.floor(random() * 4), ...(random() < 0.3 ? { ifNo: [pick(WORDS)] } : {}) };
      });
      // Filed like compromise's buildNet: under every need and want, in pattern order.
      const hooks: Record<string, SweepPattern[]> = {};
      for (const pattern of patterns) for (const key of [...pattern.needs, ...pattern.wants]) if (!(hooks[key] ??= []).includes(pattern)) hooks[key].push(pattern);
      const net: SweepNet = { hooks, always: round % 5 === 0 ? [{ match: 'always', needs: [], wants: [], minWords: 2 }] : [] };
      const document = Array.from({ length: 1 + Math.floor(random() * 4) }, () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({})));
      const caches = document.map(() => new Set(WORDS.filter(() => random() < 0.45)));
      const fakeMethods: SweepMethods = {
        one: {
          cacheDoc: () => caches,
          match: (_docs, pattern) => ({ ptrs: pattern.match.length % 2 === 0 || pattern.match === 'always' ? [[0, 0, 1]] : [] }),
        },
      };
      const expected = pairs(stock(document, net, fakeMethods));
      expect({ round, found: pairs(fast(document, net, fakeMethods)) }).toEqual({ round, found: expected });
      hits += expected.length;
    }
    expect(hits).toBeGreaterThan(400);
  });

  it('defers to the stock function when two patterns share a text', () => {
    const calls: unknown[] = [];
    const stub: BulkMatch = (document, unknownNet) => {
      calls.push(unknownNet);
      return ['stock'];
    };
    const twins: SweepNet = {
      hooks: { a: [{ match: 'a', needs: ['a'], wants: [] }], b: [{ match: 'a', needs: ['a'], wants: [] }] },
      always: [],
    };
    expect(fasterBulkMatch(stub)([[]], twins, methods)).toEqual(['stock']);
    expect(calls).toEqual([twins]);
  });

  it('defers to the stock function for a net of an unknown shape', () => {
    const calls: unknown[] = [];
    const stub: BulkMatch = (document, unknownNet) => {
      calls.push(unknownNet);
      return ['stock'];
    };
    const odd = { hooks: {}, always: 'not a list' } as unknown as SweepNet;
    expect(fasterBulkMatch(stub)([[]], odd, methods)).toEqual(['stock']);
    expect(fasterBulkMatch(stub)([[]], null as unknown as SweepNet, methods)).toEqual(['stock']);
    expect(calls).toEqual([odd, null]);
  });
});

