/**
 * A drop-in for compromise's `methods.one.bulkMatch`, the step of its post-tagger that picks
 * which of ~570 correction patterns to try on each sentence. Profiled on name snippets, the
 * stock version spends ~40 % of all tagging time there: for every sentence it walks all ~730
 * hook keys, grows the candidate list with `concat` (quadratic) and dedupes through an object
 * keyed by pattern text. This version indexes each net once (keys and patterns as numbers),
 * then per sentence walks only the keys the sentence has (about 20), in the same key order,
 * with the same filters, so it yields the same matches in the same order; fast-sweep.test.ts
 * checks that against the stock function.
 *
 * It runs inside the names worker: worker-source.ts embeds it with `Function.prototype.toString`,
 * so it must stay self-contained (no imports, no outer variables, no helpers a compiler would
 * inject). It relies on compromise v14 internals; when the shapes differ it defers to the stock
 * function rather than guess.
 */

/** A compiled post-tagger pattern, as far as choosing candidates needs it. */
export interface SweepPattern {
  match: string;
  needs: readonly string[];
  wants: readonly string[];
  minWant?: number;
  minWords?: number;
  ifNo?: readonly string[];
  unTag?: unknown;
}
export interface SweepNet {
  hooks: Readonly<Record<string, readonly SweepPattern[]>>;
  always: readonly SweepPattern[];
}
export interface SweepMethods {
  one: {
    cacheDoc(document: readonly (readonly unknown[])[]): ReadonlySet<string>[];
    match(docs: readonly (readonly unknown[])[], pattern: SweepPattern): { ptrs: number[][] };
  };
}
export type BulkMatch = (
  document: readonly (readonly unknown[])[],
  net: SweepNet,
  methods: SweepMethods,
  opts?: { matchOne?: boolean },
) => unknown[];

export function fasterBulkMatch(stock: BulkMatch): BulkMatch {
  /** A net with its words and tags numbered: the per-sentence checks become array reads. */
  interface Indexed {
    /** Every word/tag a pattern mentions (hook keys first, in Object.keys order) -> number. */
    ids: Map<string, number>;
    hookCount: number;
    /** Per hook key number: its patterns' numbers, in the hook's order. */
    hooks: number[][];
    patterns: { pattern: SweepPattern; textId: number; needs: number[]; wants: number[]; ifNo: number[] }[];
    textCount: number;
  }
  const indexes = new WeakMap<object, Indexed>();
  const indexOf = (net: SweepNet): Indexed => {
    const cached = indexes.get(net.hooks);
    if (cached !== undefined) return cached;
    const ids = new Map<string, number>();
    const idOf = (word: string): number => {
      let id = ids.get(word);
      if (id === undefined) ids.set(word, (id = ids.size));
      return id;
    };
    const keys = Object.keys(net.hooks);
    keys.forEach(idOf);
    const texts = new Map<string, number>();
    const numbers = new Map<SweepPattern, number>();
    const patterns: Indexed['patterns'] = [];
    const numberOf = (pattern: SweepPattern): number => {
      let n = numbers.get(pattern);
      if (n === undefined) {
        n = patterns.length;
        numbers.set(pattern, n);
        let textId = texts.get(pattern.match);
        if (textId === undefined) texts.set(pattern.match, (textId = texts.size));
        patterns.push({ pattern, textId, needs: pattern.needs.map(idOf), wants: pattern.wants.map(idOf), ifNo: (pattern.ifNo ?? []).map(idOf) });
      }
      return n;
    };
    const hooks = keys.map((key) => net.hooks[key]!.map(numberOf));
    const indexed = { ids, hookCount: keys.length, hooks, patterns, textCount: texts.size };
    indexes.set(net.hooks, indexed);
    return indexed;
  };
  const isShapeKnown = (net: SweepNet): boolean =>
    net !== null && typeof net === 'object' && net.hooks !== null && typeof net.hooks === 'object' && Array.isArray(net.always);

  return function bulkMatch(document, net, methods, opts = {}) {
    if (!isShapeKnown(net)) return stock(document, net, methods, opts);
    const index = indexOf(net);
    const caches = methods.one.cacheDoc(document);
    // Per sentence: which words/tags it has, and which pattern texts were already taken;
    // stamped with the sentence number instead of cleared.
    const present = new Int32Array(index.ids.size).fill(-1);
    const taken = new Int32Array(index.textCount).fill(-1);
    const results: unknown[] = [];
    for (let n = 0; n < document.length; n++) {
      const words = document[n]!.length;
      const keys: number[] = [];
      for (const word of caches[n]!) {
        const id = index.ids.get(word);
        if (id === undefined) continue;
        present[id] = n;
        if (id < index.hookCount) keys.push(id);
      }
      // Hook keys are numbered in Object.keys order: the stock walk order.
      keys.sort((a, b) => a - b);

      // Same rules, same order as stock: dedupe by pattern text (first wins), then needs,
      // ifNo, wants; then the patterns without hooks; then the minimum sentence length.
      const todo: SweepPattern[] = [];
      for (const key of keys) {
        for (const number of index.hooks[key]!) {
          const entry = index.patterns[number]!;
          if (taken[entry.textId] === n) continue;
          taken[entry.textId] = n;
          let ok = true;
          for (const need of entry.needs) if (present[need] !== n) ok = false;
          for (const no of entry.ifNo) if (present[no] === n) ok = false;
          if (!ok) continue;
          const { pattern } = entry;
          if (entry.wants.length > 0) {
            let found = 0;
            for (const want of entry.wants) if (present[want] === n) found++;
            if (pattern.minWant === undefined || found < pattern.minWant) continue;
          }
          if (pattern.minWords === undefined || words < pattern.minWords) continue;
          todo.push(pattern);
        }
      }
      for (const pattern of net.always) {
        if (pattern.minWords !== undefined && words >= pattern.minWords) todo.push(pattern);
      }

      for (const pattern of todo) {
        const found = methods.one.match([document[n]!], pattern);
        if (found.ptrs.length === 0) continue;
        for (const ptr of found.ptrs) {
          ptr[0] = n;
          const hit = Object.assign({} as Record<string, unknown>, pattern, { pointer: ptr });
          if (pattern.unTag !== undefined) hit.unTag = pattern.unTag;
          results.push(hit);
        }
        if (opts.matchOne === true) return [results[0]];
      }
    }
    return results;
  };
}
