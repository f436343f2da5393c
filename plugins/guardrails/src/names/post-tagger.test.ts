import { loadIsolatedCompromise, taggingTexts } from '../__fixtures__/names/compromise-under-test';
import { fasterBulkMatch, type BulkMatch } from './fast-sweep';
import { directPostTagger, type PostTaggerWorld } from './post-tagger';
import type { TaggedTerm } from './tag-snippets';

/** compromise's surface as far as these tests use it. */
interface Compromise {
  (text: string): { document: TaggedTerm[][] };
  plugin(plugin: unknown): void;
  methods(): { one: { bulkMatch: BulkMatch } };
  world(): PostTaggerWorld;
}
const loadCompromise = (): Compromise => loadIsolatedCompromise<Compromise>();
const texts = taggingTexts(1);
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
