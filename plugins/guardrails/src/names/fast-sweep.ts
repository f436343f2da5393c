/**
 * A drop-in for compromise's `methods.one.bulkMatch`, the step of its post-tagger that picks
 * which of ~570 correction patterns to try on each sentence. Profiled on name snippets, the
 * stock version spends ~40 % of all tagging time there: for every sentence it walks all ~730
 * hook keys, grows the candidate list with `concat` (quadratic) and dedupes through an object
 * keyed by pattern text.
 *
 * This version indexes each net once. A pattern can pass only if every word/tag it `needs` is
 * in the sentence, so it is filed under ONE of its needs (a rare one: a word before a tag,
 * an uncommon tag before `#Noun`) and looked at only when that need is there; a pattern
 * without needs is filed under each of its `wants`. Per sentence that visits ~40 patterns
 * instead of ~200. The patterns that pass are then put back in the stock order: stock walks
 * the hook keys in `Object.keys` order and takes each pattern where it first meets it, so the
 * order of a pattern is the smallest (key number, place in that key's list) over its keys
 * present in the sentence. Same filters (needs, ifNo, wants, minimum words), same order, so the
 * same matches in the same order; fast-sweep.test.ts checks that against the stock function.
 *
 * Stock dedupes candidates by pattern text. buildNet files one pattern object per text (its
 * hooks are deduped by text too, and needs/wants come from the text), so deduping by object is
 * the same; for a net where two objects share a text, this defers to the stock function.
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
  /** A net with its words, tags and patterns numbered: the per-sentence checks are array reads. */
  interface Indexed {
    /** Every word/tag a pattern mentions -> number; hook keys first, in Object.keys order. */
    ids: Map<string, number>;
    hookCount: number;
    patterns: SweepPattern[];
    /** Per pattern: its needs, ifNo and wants as word numbers. */
    needs: number[][];
    ifNo: number[][];
    wants: number[][];
    /** Per pattern: the hook keys it is filed under in the net, and its place in each list. */
    keys: number[][];
    places: number[][];
    /** Per hook key number: the patterns to look at when the key is in the sentence. */
    filed: number[][];
    /** Larger than any place in a hook list: orders (key, place) pairs as one number. */
    stride: number;
    /** Per word / per pattern: the sentence stamp that last saw it (instead of clearing sets). */
    seen: Int32Array;
    visited: Int32Array;
    stamp: number;
  }
  /** Tags on most name snippets; a pattern filed under one of them would be looked at always. */
  const COMMON = new Set([
    '#Noun', '#Singular', '#Plural', '#ProperNoun', '#TitleCase', '#Person', '#FirstName', '#LastName', '#MaleName',
    '#FemaleName', '#Place', '#City', '#Country', '#Region', '#Organization', '#Actor', '#Verb', '#Adjective',
    '#Adverb', '#Preposition', '#Determiner', '#Conjunction', '#Copula', '#PresentTense', '#Infinitive', '#Pronoun',
    '#Value', '#Cardinal', '#Date', '#Month',
  ]);
  const rarity = (key: string): number => (key.startsWith('#') ? (COMMON.has(key) ? 2 : 1) : 0);

  const indexes = new WeakMap<object, Indexed | null>();
  const build = (net: SweepNet): Indexed | null => {
    if (net === null || typeof net !== 'object' || net.hooks === null || typeof net.hooks !== 'object' || !Array.isArray(net.always)) return null;
    const ids = new Map<string, number>();
    const idOf = (word: string): number => {
      let id = ids.get(word);
      if (id === undefined) ids.set(word, (id = ids.size));
      return id;
    };
    const hookKeys = Object.keys(net.hooks);
    hookKeys.forEach(idOf);
    const numbers = new Map<SweepPattern, number>();
    const byText = new Map<string, SweepPattern>();
    const index: Indexed = { ids, hookCount: hookKeys.length, patterns: [], needs: [], ifNo: [], wants: [], keys: [], places: [], filed: hookKeys.map(() => []), stride: 1, seen: new Int32Array(0), visited: new Int32Array(0), stamp: 0 };
    for (let key = 0; key < hookKeys.length; key++) {
      const list = net.hooks[hookKeys[key]!];
      if (!Array.isArray(list)) return null;
      index.stride = Math.max(index.stride, list.length + 1);
      for (let place = 0; place < list.length; place++) {
        const pattern = list[place] as SweepPattern;
        if (pattern === null || typeof pattern !== 'object' || typeof pattern.match !== 'string' || !Array.isArray(pattern.needs) || !Array.isArray(pattern.wants)) return null;
        if (pattern.ifNo !== undefined && !Array.isArray(pattern.ifNo)) return null;
        // Two objects with one text: stock dedupes them by text, this by object.
        if ((byText.get(pattern.match) ?? pattern) !== pattern) return null;
        byText.set(pattern.match, pattern);
        let n = numbers.get(pattern);
        if (n === undefined) {
          n = index.patterns.length;
          numbers.set(pattern, n);
          index.patterns.push(pattern);
          index.needs.push(pattern.needs.map(idOf));
          index.ifNo.push((pattern.ifNo ?? []).map(idOf));
          index.wants.push(pattern.wants.map(idOf));
          index.keys.push([]);
          index.places.push([]);
        }
        // Stock takes a pattern where it first meets it; a repeat in one list changes nothing.
        if (!index.keys[n]!.includes(key)) {
          index.keys[n]!.push(key);
          index.places[n]!.push(place);
        }
      }
    }
    // File each pattern: under its rarest need that is also one of its keys (it can pass only
    // if that need is there, and stock meets it there), else under every key it has.
    index.patterns.forEach((pattern, n) => {
      const keys = index.keys[n]!;
      let anchor = -1;
      for (const need of pattern.needs) {
        const key = ids.get(need)!;
        if (keys.includes(key) && (anchor < 0 || rarity(need) < rarity(hookKeys[anchor]!))) anchor = key;
      }
      if (anchor >= 0) index.filed[anchor]!.push(n);
      else for (const key of keys) index.filed[key]!.push(n);
    });
    index.seen = new Int32Array(ids.size);
    index.visited = new Int32Array(index.patterns.length);
    return index;
  };
  const indexOf = (net: SweepNet): Indexed | null => {
    const owner = net !== null && typeof net === 'object' && net.hooks !== null && typeof net.hooks === 'object' ? net.hooks : null;
    if (owner === null) return null;
    let index = indexes.get(owner);
    if (index === undefined) indexes.set(owner, (index = build(net)));
    return index;
  };

  return function bulkMatch(document, net, methods, opts = {}) {
    const index = indexOf(net);
    if (index === null) return stock(document, net, methods, opts);
    const caches = methods.one.cacheDoc(document);
    const { ids, seen, visited, filed, stride } = index;
    const results: unknown[] = [];
    for (let n = 0; n < document.length; n++) {
      // A new stamp per sentence; start over long before the Int32 runs out.
      if (index.stamp >= 0x3fffffff) {
        seen.fill(0);
        visited.fill(0);
        index.stamp = 0;
      }
      const stamp = ++index.stamp;
      const words = document[n]!.length;
      const present: number[] = [];
      for (const word of caches[n]!) {
        const id = ids.get(word);
        if (id === undefined) continue;
        seen[id] = stamp;
        if (id < index.hookCount) present.push(id);
      }

      // Same filters as stock: needs, ifNo, wants, then the minimum sentence length. The few
      // that pass are kept sorted by where stock's walk first meets them (insertion: ~5 each).
      const order: number[] = [];
      const todo: SweepPattern[] = [];
      for (const key of present) {
        for (const p of filed[key]!) {
          if (visited[p] === stamp) continue;
          visited[p] = stamp;
          let ok = true;
          for (const need of index.needs[p]!) if (seen[need] !== stamp) ok = false;
          for (const no of index.ifNo[p]!) if (seen[no] === stamp) ok = false;
          if (!ok) continue;
          const pattern = index.patterns[p]!;
          const wants = index.wants[p]!;
          if (wants.length > 0) {
            let found = 0;
            for (const want of wants) if (seen[want] === stamp) found++;
            if (pattern.minWant === undefined || found < pattern.minWant) continue;
          }
          if (pattern.minWords === undefined || words < pattern.minWords) continue;
          // Where stock's walk first meets it: the smallest (key, place) among its keys present.
          const keys = index.keys[p]!;
          const places = index.places[p]!;
          let first = Infinity;
          for (let k = 0; k < keys.length; k++) if (seen[keys[k]!] === stamp) first = Math.min(first, keys[k]! * stride + places[k]!);
          let at = todo.length;
          while (at > 0 && order[at - 1]! > first) at--;
          order.splice(at, 0, first);
          todo.splice(at, 0, pattern);
        }
      }
      // Then the patterns without hooks, as stock appends them.
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
