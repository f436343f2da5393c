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
parentPort.on('message', (msg) => {
  try {
    const results = msg.snippets.map((snippet) => {
      const doc = nlp(snippet);
      const spans = [];
      for (const type of msg.types) {
        const method = METHOD[type];
        if (!method) continue;
        for (const match of doc[method]().json({ offset: true, terms: false })) {
          const text = String(match.text || '').replace(TRIM, '');
          if (!text || !match.offset) continue;
          spans.push({ type, start: match.offset.start, end: match.offset.start + text.length });
        }
      }
      return spans;
    });
    parentPort.postMessage({ id: msg.id, results });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err && err.message || err) });
  }
});
`;
