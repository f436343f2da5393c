import { fasterBulkMatch, type BulkMatch } from './fast-sweep';
import { tagNameSnippets, type TaggedTerm, type Tagger } from './tag-snippets';

type Compromise = Tagger & { plugin(p: unknown): void; methods(): { one: { bulkMatch: BulkMatch } } };
const nlp = require('compromise/two') as Compromise;
nlp.plugin({ methods: { one: { bulkMatch: fasterBulkMatch(nlp.methods().one.bulkMatch) } } });

const found = (snippets: string[]): string[][] =>
  tagNameSnippets(nlp, snippets).map((spans, i) => spans.map((s) => `${s.type}:${snippets[i]!.slice(s.start, s.end)}`));

/** A stand-in tagger: one sentence per snippet, words split on spaces, tags from a table. */
const fakeTagger =
  (tags: Record<string, string[]>): Tagger =>
  (text) => ({
    document: text.split('\n\n').map((sentence, i, all) =>
      sentence.split(' ').map((word, j, words): TaggedTerm => {
        const bare = word.replace(/[,.;]$/, '');
        const last = j === words.length - 1;
        return { pre: '', text: bare, post: word.slice(bare.length) + (last ? (i < all.length - 1 ? '\n\n' : '') : ' '), tags: new Set(tags[bare] ?? []) };
      }),
    ),
  });

describe('tagNameSnippets', () => {
  it('finds people, places and organisations with offsets into each snippet', () => {
    expect(found(['Yesterday John Smith met Maria Garcia from Acme Corp in Paris.'])).toEqual([
      ['PERSON:John Smith', 'PERSON:Maria Garcia', 'ORGANIZATION:Acme Corp', 'LOCATION:Paris'],
    ]);
    expect(found(['we met John Smith yesterday', 'a flight to Paris tomorrow', 'nothing here at all'])).toEqual([['PERSON:John Smith'], ['LOCATION:Paris'], []]);
  });

  it('keeps an honorific and a hyphenated surname in one person, splits at commas', () => {
    expect(found(['for Dr. Sarah Wilson today'])).toEqual([['PERSON:Dr. Sarah Wilson']]);
    expect(found(['I met Jane Doe-Smith there'])).toEqual([['PERSON:Jane Doe-Smith']]);
    expect(found(['visiting Paris, France soon'])).toEqual([['LOCATION:Paris', 'LOCATION:France']]);
  });

  it('returns one empty list per snippet when there is nothing, and none for no snippets', () => {
    expect(found(['all lower case', 'The report is ready.'])).toEqual([[], []]);
    expect(tagNameSnippets(nlp, [])).toEqual([]);
  });

  it('never reports a run that crosses from one snippet into the next', () => {
    // A tagger that (unlike compromise) keeps both snippets in one sentence: "Jane" and "Doe"
    // would form one person across the boundary.
    const tagger = fakeTagger({ Jane: ['Person'], Doe: ['Person'], Lyon: ['Place'] });
    const oneSentence: Tagger = (text) => ({ document: [tagger(text).document.flat()] });
    expect(tagNameSnippets(oneSentence, ['met Jane', 'Doe here', 'to Lyon'])).toEqual([[], [], [{ type: 'LOCATION', start: 3, end: 7 }]]);
  });

  it('ends a person at a possessive and at a change of type', () => {
    const tagger = fakeTagger({ "Jane's": ['Person', 'Possessive'], Berlin: ['Place'], Acme: ['Organization'], Jo: ['Person'] });
    expect(tagNameSnippets(tagger, ["Jane's Berlin office", 'Jo Acme'])).toEqual([
      [
        { type: 'PERSON', start: 0, end: 6 },
        { type: 'LOCATION', start: 7, end: 13 },
      ],
      [
        { type: 'PERSON', start: 0, end: 2 },
        { type: 'ORGANIZATION', start: 3, end: 7 },
      ],
    ]);
  });

  it('resyncs when a term does not sit where its pre/post text says, and skips text it cannot find', () => {
    const shifted: Tagger = () => ({
      document: [
        [
          { pre: '', text: 'hello', post: '', tags: new Set() },
          { pre: '', text: 'Paris', post: '', tags: new Set(['Place']) },
          { pre: '', text: 'Nowhere', post: '', tags: new Set(['Place']) },
        ],
      ],
    });
    expect(tagNameSnippets(shifted, ['hello to Paris'])).toEqual([[{ type: 'LOCATION', start: 9, end: 14 }]]);
  });
});
