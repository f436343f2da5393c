import { fasterBulkMatch } from './fast-sweep';
import { directPostTagger } from './post-tagger';
import { tagNameSnippets } from './tag-snippets';
import { WARM_UP_SNIPPETS } from './warm-up';

/**
 * The worker's code, run with `eval: true` so the same source works from TypeScript under
 * Jest and from the compiled package (a separate .js entry file would need a build step in
 * tests). The functions it runs are typed, tested modules embedded by their source text
 * (they are self-contained for that reason; a coverage run that instruments function bodies
 * would break them inside the worker, so the names tests need an uninstrumented run). `compromise/two` is required by the absolute path
 * the parent resolved (workerData.compromisePath); the faster sweep (fast-sweep.ts) and the
 * direct post-tagger (post-tagger.ts) are installed before the first tagging.
 *
 * After start-up the worker warms compromise (workerData.warmUpRounds small jobs, see
 * warm-up.ts) one job per event-loop turn, so a request that arrives meanwhile waits for at
 * most one warm-up job, not for the whole warm-up.
 *
 * Protocol: in  { id, snippets: string[], types: string[] }
 *           out { id, results: { type, start, end }[][] } | { id, error: string }
 */
export const NAMES_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const nlp = require(workerData.compromisePath);
const fasterBulkMatch = ${fasterBulkMatch.toString()};
const directPostTagger = ${directPostTagger.toString()};
const tagNameSnippets = ${tagNameSnippets.toString()};
nlp.plugin({ methods: { one: { bulkMatch: fasterBulkMatch(nlp.methods().one.bulkMatch) } } });
const postTagger = directPostTagger(nlp.world());
if (postTagger !== null) nlp.plugin({ compute: { postTagger } });
const WARM_UP = ${JSON.stringify(WARM_UP_SNIPPETS)};
let warmUpLeft = Number(workerData.warmUpRounds) || 0;
const warmUpStep = () => {
  if (warmUpLeft <= 0) return;
  const from = warmUpLeft-- % WARM_UP.length;
  tagNameSnippets(nlp, WARM_UP.slice(from, from + 6));
  setImmediate(warmUpStep);
};
setImmediate(warmUpStep);
parentPort.on('message', (msg) => {
  try {
    const wanted = new Set(msg.types);
    const results = tagNameSnippets(nlp, msg.snippets).map((spans) => spans.filter((s) => wanted.has(s.type)));
    parentPort.postMessage({ id: msg.id, results });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String((err && err.message) || err) });
  }
});
`;
