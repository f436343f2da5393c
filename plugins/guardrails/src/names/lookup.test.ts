import type { Span } from '../detect/types';
import { createNamesLookup, type NamesAnalyzer } from './lookup';
import type { NamesOutcome } from './pool';
import { NameSpanCache } from './span-cache';

/** A pool stand-in: records what it is asked and answers from `answer`. */
function fakePool(answer: (snippet: string) => Span[] | 'fail') {
  const asked: { snippets: string[]; types: string[] }[] = [];
  const pool: NamesAnalyzer = {
    analyze: async (snippets, types): Promise<NamesOutcome> => {
      asked.push({ snippets, types });
      const spans = snippets.map(answer);
      return spans.includes('fail') ? { ok: false, reason: 'timeout' } : { ok: true, spans: spans as Span[][] };
    },
  };
  return { pool, asked };
}
/** Marks "Jane Doe" as a person and "Paris" as a place wherever they are in a snippet. */
const tagger = (snippet: string): Span[] => {
  const out: Span[] = [];
  for (const [word, type] of [['Jane Doe', 'PERSON'], ['Paris', 'LOCATION']] as const) {
    const at = snippet.indexOf(word);
    if (at >= 0) out.push({ type, start: at, end: at + word.length });
  }
  return out;
};
const ALL = ['PERSON', 'LOCATION', 'ORGANIZATION'];

describe('createNamesLookup', () => {
  it('maps spans back to each text, for the types the policy asks for only', async () => {
    const { pool } = fakePool(tagger);
    const texts = ['we met Jane Doe in Paris today', 'no names', 'again Jane Doe'];
    const out = await createNamesLookup(pool, null, 50)(texts, ['PERSON']);
    expect(out).toEqual({ ok: true, spans: [[{ type: 'PERSON', start: 7, end: 15 }], [], [{ type: 'PERSON', start: 6, end: 14 }]] });
  });

  it('asks the worker for every name type once per distinct snippet', async () => {
    const { pool, asked } = fakePool(tagger);
    await createNamesLookup(pool, null, 50)(['met Jane Doe', 'met Jane Doe', 'to Paris for'], ['LOCATION']);
    expect(asked).toEqual([{ snippets: ['met Jane Doe', 'to Paris for'], types: ALL }]);
  });

  it('serves repeated snippets from the cache and sends only new ones', async () => {
    const { pool, asked } = fakePool(tagger);
    const cache = new NameSpanCache(16);
    const lookup = createNamesLookup(pool, cache, 50);
    const first = await lookup(['met Jane Doe'], ['PERSON']);
    const second = await lookup(['met Jane Doe', 'to Paris for'], ['PERSON', 'LOCATION']);
    expect(asked.map((a) => a.snippets)).toEqual([['met Jane Doe'], ['to Paris for']]);
    expect(first).toEqual({ ok: true, spans: [[{ type: 'PERSON', start: 4, end: 12 }]] });
    expect(second).toEqual({ ok: true, spans: [[{ type: 'PERSON', start: 4, end: 12 }], [{ type: 'LOCATION', start: 3, end: 8 }]] });
    // A third request with only known snippets never reaches the pool.
    await lookup(['to Paris for', 'met Jane Doe'], ['PERSON']);
    expect(asked).toHaveLength(2);
  });

  it('passes on a pool failure and caches nothing from it', async () => {
    let fail = true;
    const { pool, asked } = fakePool((s) => (fail ? 'fail' : tagger(s)));
    const cache = new NameSpanCache(16);
    const lookup = createNamesLookup(pool, cache, 50);
    expect(await lookup(['met Jane Doe'], ['PERSON'])).toEqual({ ok: false, reason: 'timeout' });
    expect(cache.size).toBe(0);
    fail = false;
    expect(await lookup(['met Jane Doe'], ['PERSON'])).toEqual({ ok: true, spans: [[{ type: 'PERSON', start: 4, end: 12 }]] });
    expect(asked).toHaveLength(2);
  });

  it('drops malformed or out-of-range spans from the worker', async () => {
    const bad = [
      { type: 'PERSON', start: -1, end: 3 },
      { type: 'PERSON', start: 2, end: 99 },
      { type: 'PERSON', start: 5, end: 5 },
      { type: 'PERSON', start: 1.5, end: 4 },
      { type: 'EMAIL', start: 0, end: 3 },
      { type: 'PERSON', start: 4, end: 12 },
    ] as Span[];
    const { pool } = fakePool(() => bad);
    const out = await createNamesLookup(pool, null, 50)(['met Jane Doe'], ['PERSON', 'EMAIL']);
    expect(out).toEqual({ ok: true, spans: [[{ type: 'PERSON', start: 4, end: 12 }]] });
  });

  it('is unavailable without a pool, and skips the pool when no text has candidates', async () => {
    expect(await createNamesLookup(null, null, 50)(['met Jane Doe'], ['PERSON'])).toEqual({ ok: false, reason: 'unavailable' });
    const { pool, asked } = fakePool(tagger);
    expect(await createNamesLookup(pool, null, 50)(['nothing here', ''], ['PERSON'])).toEqual({ ok: true, spans: [[], []] });
    expect(asked).toEqual([]);
  });
});
