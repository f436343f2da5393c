import { loadCorpus } from '../__fixtures__/corpus/evaluate';
import { loadNamesCorpus } from '../__fixtures__/names/evaluate-names';
import { fasterBulkMatch, type BulkMatch, type SweepMethods, type SweepNet } from './fast-sweep';
import type { TaggedTerm } from './tag-snippets';
import { WARM_UP_SNIPPETS } from './warm-up';

/** compromise's surface as far as these tests use it (it ships no types for its internals). */
interface Compromise {
  (text: string): { docs: TaggedTerm[][]; document: TaggedTerm[][] };
  plugin(plugin: unknown): void;
  buildNet(matches: unknown[]): SweepNet;
  methods(): SweepMethods & { one: { bulkMatch: BulkMatch }; two: { quickSplit(docs: unknown[][]): TaggedTerm[][] } };
  world(): { model: { two: { matches: unknown[] } } };
}
/** A separately loaded compromise (its own world), so patching it leaves other tests alone. */
const loadCompromise = (): Compromise => {
  let nlp: Compromise | undefined;
  jest.isolateModules(() => {
    nlp = require('compromise/two') as Compromise;
  });
  return nlp!;
};

const texts = [
  ...loadNamesCorpus().map((s) => s.text),
  ...WARM_UP_SNIPPETS,
  ...loadCorpus()
    .filter((_, i) => i % 4 === 0)
    .map((s) => s.text),
  'Customer Lars Nguyen from Okafor Holdings\n\nto Lyon for\n\ncolleague Omar Bianchi at the Quito office',
  "I'm sure Dr. O'Brien-Smith won't mind; he's in São Paulo until the 3rd of May, 2025.",
];

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
