import type { Span } from '../detect/types';
import { NAME_TYPES } from '../entities';
import type { NamesLookup } from '../hooks/input-guard';
import { nameCandidates } from './candidates';
import type { NamesOutcome } from './pool';
import { NameSpanCache } from './span-cache';

/** The part of NamesWorkerPool a lookup uses (tests pass a fake). */
export interface NamesAnalyzer {
  analyze(snippets: string[], types: string[], timeoutMs: number): Promise<NamesOutcome>;
}

/**
 * The names check of one request: candidate snippets, then the cache, then the worker pool
 * for the snippets not seen before. The worker is always asked for every name type, so a
 * cached entry serves any policy; the request's types are picked here.
 */
export function createNamesLookup(pool: NamesAnalyzer | null, cache: NameSpanCache | null, timeoutMs: number): NamesLookup {
  return async (texts, types) => {
    if (pool === null) return { ok: false, reason: 'unavailable' };
    const spans: Span[][] = texts.map(() => []);
    const candidates = nameCandidates(texts);
    if (candidates.length === 0) return { ok: true, spans };

    // Chat histories repeat text: each distinct snippet is looked up (and tagged) once.
    const found = new Map<string, readonly Span[]>();
    const keys = new Map<string, string>();
    const missing: string[] = [];
    for (const { text } of candidates) {
      if (found.has(text) || keys.has(text)) continue;
      const key = cache === null ? '' : NameSpanCache.keyOf(text);
      const hit = cache?.get(key);
      if (hit !== undefined) found.set(text, hit);
      else {
        keys.set(text, key);
        missing.push(text);
      }
    }
    if (missing.length > 0) {
      const outcome = await pool.analyze(missing, [...NAME_TYPES], timeoutMs);
      if (!outcome.ok) return outcome;
      missing.forEach((text, i) => {
        // Worker output crosses a thread boundary: keep only well-formed, in-range spans.
        const valid = (outcome.spans[i] ?? []).filter(
          (s) => NAME_TYPES.includes(s.type as (typeof NAME_TYPES)[number]) && Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= text.length && s.start < s.end,
        );
        found.set(text, valid);
        cache?.set(keys.get(text)!, valid);
      });
    }

    for (const candidate of candidates) {
      for (const s of found.get(candidate.text) ?? []) {
        if (types.includes(s.type)) spans[candidate.slot]!.push({ type: s.type, start: s.start + candidate.offset, end: s.end + candidate.offset });
      }
    }
    return { ok: true, spans };
  };
}
