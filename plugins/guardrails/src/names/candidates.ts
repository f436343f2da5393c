import { NAME_STOP_WORDS } from './stop-words';

/**
 * Names are capitalised, so only the text around capitalised tokens goes to `compromise`,
 * which costs ~7-15 µs per character on the shared 2-core box: every character sent is
 * latency. Each run of capitalised words keeps at most ONE neighbouring word on each side
 * (see widen), the context the tagger uses most ("met X", "in Y"); three words each side
 * measured the same on the names corpus (scripts/eval-names.mjs) and cost twice the time.
 * Runs whose snippets touch are merged into one snippet.
 *
 * Not sent at all: a lone capitalised word that opens a sentence ("She says", "Logs show") or
 * is a stop word (weekdays, months, pronouns, tech acronyms; see stop-words.ts), and words
 * inside URLs, e-mail addresses, paths and code, which the pattern detectors own.
 */
export interface NameCandidate {
  /** Which text (slot) of the request the snippet comes from. */
  slot: number;
  /** Offset of the snippet in that text. */
  offset: number;
  text: string;
}

const CAPITALISED_RUN = /\b[A-Z][\p{L}'’\-]+(?:[ \t]+(?:[A-Z][\p{L}'’\-]+|of|de|van|von|da|del|la|le|and|&))*/gu;
const WORD = /\S+/g;
/** A neighbour word longer than this is cut (a URL next to a name is not context). */
const MAX_NEIGHBOUR_CHARS = 24;
/** Upper bound of candidate text per request; the rest is not looked at for names. */
export const MAX_CANDIDATE_CHARS = 8192;
/** URL, e-mail, path, identifier or markup characters, or a dot inside a word (domains, files). */
const CODE_LIKE = /[/\\@_=<>{}`$]|\.\p{L}/u;
/** Emphasis, quotes and brackets around a word ("**Jane**", "(Paris)") are not code. */
const WRAPPING = /^[*_~"'“‘(\[]+|[*_~"'”’)\].,;:!?]+$/g;

const isSpace = (ch: string | undefined): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f' || ch === '\v';

/** The run without leading stop words ("The", "Dear", "On Monday") and trailing connectors ("and"). */
function trimRun(run: string): [number, number] | null {
  const words = [...run.matchAll(WORD)].map((m): [number, number] => [m.index, m.index + m[0].length]);
  let first = 0;
  let last = words.length - 1;
  while (last >= 0 && !/^[A-Z]/.test(run[words[last]![0]]!)) last--;
  while (first <= last && NAME_STOP_WORDS.has(run.slice(words[first]![0], words[first]![1]))) first++;
  return first > last ? null : [words[first]![0], words[last]![1]];
}

/**
 * A single capitalised word opening a sentence ("She says", "Logs mention") is sentence case,
 * not a sign of a name, and in prose such words are most of the capitals. The cost is recall
 * on one-word names that open a sentence ("Paris is ..."); multi-word runs ("Jane Doe wrote")
 * still go.
 */
function isSentenceCase(text: string, start: number): boolean {
  let i = start;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  if (i === 0) return true;
  const before = text[i - 1]!;
  return before === '\n' || before === '\r' || ((before === '.' || before === '!' || before === '?') && i < start);
}

/** Whether the whitespace-delimited token around `at` is part of a URL, address, path or code. */
function inCodeLikeToken(text: string, at: number): boolean {
  let s = at;
  while (s > 0 && !isSpace(text[s - 1])) s--;
  let e = at;
  while (e < text.length && !isSpace(text[e])) e++;
  return CODE_LIKE.test(text.slice(s, e).replace(WRAPPING, ''));
}

/** A word that ends a sentence ("reply.", "check?"), not an abbreviation like "Dr." or "St.". */
const SENTENCE_END = /[.!?]["')\]’”]*$/;
const ABBREVIATION = /^[A-Z][a-z]{0,3}\.$/;
const endsSentence = (word: string): boolean => SENTENCE_END.test(word) && !ABBREVIATION.test(word);

/**
 * The run's own tokens ("Mr." of "Mr", "(Jane" of "Jane"), the word before it, and for a
 * one-word run the word after it ("Quito office", "Lyon for"); a run of several capitalised
 * words carries its own evidence ("Okafor Holdings", "Jane Doe"), and dropping its right
 * neighbour cut a quarter of the tagged text at no loss on the names corpus. No neighbour
 * comes from across a sentence end: it is no context for the tagger, and each extra sentence
 * costs compromise a fixed ~0.1 ms.
 */
function widen(text: string, start: number, end: number): [number, number] {
  while (start > 0 && !isSpace(text[start - 1])) start--;
  while (end < text.length && !isSpace(text[end])) end++;
  let s = start;
  while (s > 0 && isSpace(text[s - 1])) s--;
  const leftWordEnd = s;
  while (s > 0 && !isSpace(text[s - 1]) && leftWordEnd - s < MAX_NEIGHBOUR_CHARS) s--;
  if (s === leftWordEnd || endsSentence(text.slice(s, leftWordEnd))) s = start;
  let e = end;
  const run = text.slice(start, end);
  if (!endsSentence(run) && !/\s/.test(run)) {
    while (e < text.length && isSpace(text[e])) e++;
    const rightWordStart = e;
    while (e < text.length && !isSpace(text[e]) && e - rightWordStart < MAX_NEIGHBOUR_CHARS) e++;
    if (e === rightWordStart) e = end;
  }
  return [s, e];
}

/** Only spaces or tabs between two snippets: they belong to one stretch of text. */
function onlyBlanksBetween(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text[i] !== ' ' && text[i] !== '\t') return false;
  return true;
}

export function nameCandidates(texts: readonly string[], budgetChars = MAX_CANDIDATE_CHARS): NameCandidate[] {
  const out: NameCandidate[] = [];
  let used = 0;
  texts.forEach((text, slot) => {
    const regex = new RegExp(CAPITALISED_RUN.source, CAPITALISED_RUN.flags);
    let current: [number, number] | null = null;
    const push = (): void => {
      if (current === null || used >= budgetChars) return;
      const snippet = text.slice(current[0], current[1]);
      used += snippet.length;
      out.push({ slot, offset: current[0], text: snippet });
    };
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      const trimmed = trimRun(m[0]);
      if (trimmed === null) continue;
      const start = m.index + trimmed[0];
      const end = m.index + trimmed[1];
      const single = !/\s/.test(text.slice(start, end));
      if (single && isSentenceCase(text, start)) continue;
      if (inCodeLikeToken(text, start) || inCodeLikeToken(text, end - 1)) continue;
      const [s, e] = widen(text, start, end);
      if (current !== null && (s <= current[1] || onlyBlanksBetween(text, current[1], s))) current[1] = Math.max(current[1], e);
      else {
        push();
        current = [s, e];
      }
    }
    push();
  });
  return out;
}
