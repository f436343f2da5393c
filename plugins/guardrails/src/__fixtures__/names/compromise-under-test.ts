import { loadCorpus } from '../corpus/evaluate';
import { WARM_UP_SNIPPETS } from '../../names/warm-up';
import { loadNamesCorpus } from './evaluate-names';

/**
 * A separately loaded compromise/two (its own world), so a test that patches it leaves other
 * tests alone. `T` is compromise's surface as far as the calling test uses it (it ships no types
 * for its internals).
 */
export function loadIsolatedCompromise<T>(): T {
  let nlp: T | undefined;
  jest.isolateModules(() => {
    nlp = require('compromise/two') as T;
  });
  return nlp!;
}

/** Hard cases for tagging: contractions, initials, places with commas, units, companies, code words. */
const TRICKY_TEXTS = [
  'Customer Lars Nguyen from Okafor Holdings\n\nto Lyon for\n\ncolleague Omar Bianchi at the Quito office',
  "I'm sure Dr. O'Brien-Smith won't mind; he's in São Paulo until the 3rd of May, 2025.",
  "The quick brown fox, the lazy dog and Mr. Fox went to the New York Stock Exchange on Tuesday, didn't they?",
  'Install it with npm; see the README for the API (v2), or ask Sindre Sorhus on GitHub. MIT © 2021 Jane Roe',
  'Paris, Texas; Berlin, Germany: 60 GB of logs, 2.3 GHz, and King Capital with Wang Health.',
];

/**
 * Texts to compare a tagging change against stock compromise on: the names corpus, the warm-up
 * snippets, every `detectorEvery`-th sample of the detector corpus, and the tricky texts.
 */
export function taggingTexts(detectorEvery = 1): string[] {
  return [
    ...loadNamesCorpus().map((s) => s.text),
    ...WARM_UP_SNIPPETS,
    ...loadCorpus()
      .filter((_, i) => i % detectorEvery === 0)
      .map((s) => s.text),
    ...TRICKY_TEXTS,
  ];
}
