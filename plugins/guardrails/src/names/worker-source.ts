/**
 * The worker's code, run with `eval: true` so the same source works from TypeScript under
 * Jest and from the compiled package (a separate .js entry file would need a build step in
 * tests). `compromise` is required by the absolute path the parent resolved.
 *
 * Protocol: in  { id, snippets: string[], types: string[] }
 *           out { id, results: { type, start, end }[][] } | { id, error: string }
 */
export const NAMES_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const nlp = require(workerData.compromisePath);
const METHOD = { PERSON: 'people', LOCATION: 'places', ORGANIZATION: 'organizations' };
const TRIM = /[\\s.,;:!?"'()\\[\\]]+$/;
// Warm the lexicon so the first request does not pay for it.
nlp('Warm up with Alice Smith from Acme Corp in Paris.').people().json({ offset: true });
// All snippets of a job are tagged as one document: compromise's fixed cost per document is
// a large part of its time on short snippets. Blank lines keep them separate sentences.
const JOINER = '\\n\\n';
parentPort.on('message', (msg) => {
  try {
    const bases = [];
    let joined = '';
    for (const snippet of msg.snippets) {
      if (joined.length > 0) joined += JOINER;
      bases.push(joined.length);
      joined += snippet;
    }
    const results = msg.snippets.map(() => []);
    const doc = nlp(joined);
    for (const type of msg.types) {
      const method = METHOD[type];
      if (!method) continue;
      for (const match of doc[method]().json({ offset: true, terms: false })) {
        const text = String(match.text || '').replace(TRIM, '');
        if (!text || !match.offset) continue;
        const start = match.offset.start;
        // The snippet the match starts in (bases ascend); matches that cross into the next
        // snippet are dropped.
        let k = bases.length - 1;
        while (k > 0 && bases[k] > start) k--;
        const local = start - bases[k];
        if (local + text.length > msg.snippets[k].length) continue;
        results[k].push({ type, start: local, end: local + text.length });
      }
    }
    parentPort.postMessage({ id: msg.id, results });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err && err.message || err) });
  }
});
`;
