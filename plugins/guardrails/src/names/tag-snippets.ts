/**
 * Tags a job's snippets with compromise once and reads PERSON, LOCATION and ORGANIZATION runs
 * straight off the tagged terms. The tagger is the whole cost (~15 µs per character); reading
 * the tags is a walk over the terms, so every name type is returned whatever the policy asked
 * for (the caller filters, and its cache stays valid for any policy). The walk replaces
 * `people()` / `places()` / `organizations()` plus `json({ offset })`, which build views and
 * JSON for nothing, and lets the worker load `compromise/two` (the tagger without the phrase
 * chunker that `nlp()` of the full build also runs).
 *
 * Runs inside the names worker: worker-source.ts embeds it with `Function.prototype.toString`,
 * so it must stay self-contained (no imports, no outer variables).
 */

/** What this reads of a compromise term. */
export interface TaggedTerm {
  pre: string;
  text: string;
  post: string;
  tags: ReadonlySet<string>;
}
/** compromise's `nlp` as far as this uses it: a view whose `document` holds sentences of terms. */
export type Tagger = (text: string) => { document: readonly (readonly TaggedTerm[])[] };

export interface SnippetSpan {
  type: 'PERSON' | 'LOCATION' | 'ORGANIZATION';
  start: number;
  end: number;
}

export function tagNameSnippets(nlp: Tagger, snippets: readonly string[]): SnippetSpan[][] {
  // One document for the whole job: compromise has a fixed cost per call. Blank lines make
  // each snippet its own sentence, so no tagger pattern reads across two snippets.
  const JOINER = '\n\n';
  const bases: number[] = [];
  let joined = '';
  for (const snippet of snippets) {
    if (bases.length > 0) joined += JOINER;
    bases.push(joined.length);
    joined += snippet;
  }
  const results: SnippetSpan[][] = snippets.map(() => []);

  const typeOf = (term: TaggedTerm): SnippetSpan['type'] | null => {
    if (term.tags.has('Person')) return 'PERSON';
    if (term.tags.has('Place') || term.tags.has('Address')) return 'LOCATION';
    if (term.tags.has('Organization')) return 'ORGANIZATION';
    return null;
  };
  // A run goes on across spaces and hyphens ("Doe-Smith"), and after an honorific's dot
  // ("Dr. Sarah Wilson"); commas and other punctuation end it, as a person's possessive does
  // ("Jane's Berlin office").
  const continues = (prev: TaggedTerm, type: SnippetSpan['type']): boolean => {
    if (/^[\s\-‐–]*$/.test(prev.post)) return !(type === 'PERSON' && prev.tags.has('Possessive'));
    return type === 'PERSON' && prev.tags.has('Honorific') && /^\.\s*$/.test(prev.post);
  };
  const emit = (type: SnippetSpan['type'], start: number, end: number): void => {
    let k = bases.length - 1;
    while (k > 0 && bases[k]! > start) k--;
    const local = start - bases[k]!;
    // A run that crosses into the next snippet is not one name.
    if (local + (end - start) <= snippets[k]!.length) results[k]!.push({ type, start: local, end: local + (end - start) });
  };

  let cursor = 0;
  for (const sentence of nlp(joined).document) {
    let run: { type: SnippetSpan['type']; start: number; end: number } | null = null;
    let prev: TaggedTerm | null = null;
    for (const term of sentence) {
      // Terms carry the text around them, so offsets add up; resync if they ever do not.
      let start = cursor + term.pre.length;
      if (term.text !== '' && !joined.startsWith(term.text, start)) start = joined.indexOf(term.text, cursor);
      if (start < 0) {
        if (run !== null) emit(run.type, run.start, run.end);
        run = null;
        prev = null;
        continue;
      }
      cursor = start + term.text.length + term.post.length;
      const type = term.text === '' ? null : typeOf(term);
      if (run !== null && prev !== null && type === run.type && continues(prev, type)) run.end = start + term.text.length;
      else {
        if (run !== null) emit(run.type, run.start, run.end);
        run = type === null ? null : { type, start, end: start + term.text.length };
      }
      prev = term;
    }
    if (run !== null) emit(run.type, run.start, run.end);
  }
  return results;
}
