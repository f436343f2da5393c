import type { BulkMatch, SweepMethods, SweepNet } from './fast-sweep';

/**
 * compromise's post-tagger step (`compute.postTagger`) without the parts whose output nobody
 * reads. The stock step splits the sentences at commas (`quickSplit`), turns the pieces back
 * into a view, and calls `view.sweep(net)`, which matches the correction patterns
 * (`bulkMatch`), applies them (`bulkTagger`), and then builds a view per hit plus one for all
 * of them: the step returns none of it. This one calls `bulkMatch` and `bulkTagger` on the
 * same pieces (the same term objects, the same net from the same patterns) and skips the
 * views. fast-sweep.test.ts checks that every term ends with the same tags as with stock
 * compromise.
 *
 * Returns null, so the caller keeps the stock step, when compromise's internals do not have
 * the expected shape or the patterns were already compiled (compiling them twice would
 * break them): install it before the first tagging.
 *
 * Runs inside the names worker: worker-source.ts embeds it with `Function.prototype.toString`,
 * so it must stay self-contained (no imports at run time, no outer variables).
 */

/** compromise's view as far as the post-tagger uses it. */
export interface PostTaggerView {
  world: PostTaggerWorld;
  docs: readonly (readonly unknown[])[];
  uncache(): unknown;
  unfreeze(): unknown;
}
export interface PostTaggerWorld {
  model: { two: { matches: readonly { match?: unknown; notIf?: unknown; regs?: unknown }[] } };
  methods: SweepMethods & {
    one: {
      buildNet(matches: readonly unknown[], world: PostTaggerWorld): SweepNet;
      bulkMatch: BulkMatch;
      bulkTagger(found: unknown[], document: readonly (readonly unknown[])[], world: PostTaggerWorld): unknown;
    };
    two: { quickSplit(docs: readonly (readonly unknown[])[]): (readonly unknown[])[] };
  };
}
export type PostTagger = (view: PostTaggerView) => PostTaggerView;

export function directPostTagger(world: PostTaggerWorld): PostTagger | null {
  const methods = world?.methods;
  const matches = world?.model?.two?.matches;
  if (
    typeof methods?.one?.buildNet !== 'function' ||
    typeof methods.one.bulkMatch !== 'function' ||
    typeof methods.one.bulkTagger !== 'function' ||
    typeof methods.two?.quickSplit !== 'function' ||
    !Array.isArray(matches)
  ) {
    return null;
  }
  // The stock step compiles the patterns in place on first use; a second compile would
  // re-parse its own output.
  if (matches.some((m) => m === null || typeof m !== 'object' || typeof m.match !== 'string' || m.regs !== undefined || (m.notIf !== undefined && typeof m.notIf !== 'string'))) return null;
  let net: SweepNet | null = null;
  return (view) => {
    const { world: w } = view;
    net ??= w.methods.one.buildNet(w.model.two.matches, w);
    const document = w.methods.two.quickSplit(view.docs);
    const found = w.methods.one.bulkMatch(document, net, w.methods, {});
    w.methods.one.bulkTagger(found, document, w);
    view.uncache();
    view.unfreeze();
    return view;
  };
}
