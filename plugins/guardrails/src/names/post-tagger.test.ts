import { loadCorpus } from '../__fixtures__/corpus/evaluate';
import { loadNamesCorpus } from '../__fixtures__/names/evaluate-names';
import { fasterBulkMatch, type BulkMatch } from './fast-sweep';
import { directPostTagger, type PostTaggerWorld } from './post-tagger';
import type { TaggedTerm } from './tag-snippets';
import { WARM_UP_SNIPPETS } from './warm-up';

/** compromise's surface as far as these tests use it. */
interface Compromise {
  (text: string): { document: TaggedTerm[][] };
  plugin(plugin: unknown): void;
  methods(): { one: { bulkMatch: BulkMatch } };
  world(): PostTaggerWorld;
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
  ...loadCorpus().map((s) => s.text),
  'Customer Lars Nguyen from Okafor Holdings\n\nto Lyon for\n\ncolleague Omar Bianchi at the Quito office',
  "I'm sure Dr. O'Brien-Smith won't mind; he's in São Paulo until the 3rd of May, 2025.",
  "The quick brown fox, the lazy dog and Mr. Fox went to the New York Stock Exchange on Tuesday, didn't they?",
  'Install it with npm; see the README for the API (v2), or ask Sindre Sorhus on GitHub. MIT © 2021 Jane Roe',
  'Paris, Texas; Berlin, Germany: 60 GB of logs, 2.3 GHz, and King Capital with Wang Health.',
];
const tags = (n: Compromise, text: string): string[] => n(text).document.flat().map((t) => `${t.text}:${[...t.tags].sort().join('|')}`);

describe('directPostTagger', () => {
  it('tags every term exactly as stock compromise does, with and without the faster sweep', () => {
    const stock = loadCompromise();
    const direct = loadCompromise();
    direct.plugin({ compute: { postTagger: directPostTagger(direct.world()) } });
    const both = loadCompromise();
    both.plugin({ methods: { one: { bulkMatch: fasterBulkMatch(both.methods().one.bulkMatch) } } });
    both.plugin({ compute: { postTagger: directPostTagger(both.world()) } });
    let tagged = 0;
    for (const text of texts) {
      const expected = tags(stock, text);
      expect({ text, tags: tags(direct, text) }).toEqual({ text, tags: expected });
      expect({ text, tags: tags(both, text) }).toEqual({ text, tags: expected });
      tagged += expected.length;
    }
    expect(tagged).toBeGreaterThan(1000);
  });

  it('is not installed once the stock step has compiled the patterns, or on unknown internals', () => {
    const used = loadCompromise();
    used('Jane Doe lives in Paris.');
    expect(directPostTagger(used.world())).toBeNull();
    expect(directPostTagger({} as PostTaggerWorld)).toBeNull();
    expect(directPostTagger(null as unknown as PostTaggerWorld)).toBeNull();
  });
});
