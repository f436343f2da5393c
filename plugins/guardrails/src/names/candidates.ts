/**
 * Names are capitalised, so only the text around capitalised tokens goes to `compromise`
 * (~18 ms per 2 KB of raw text otherwise). Each run of capitalised words is widened by a few
 * neighbouring words, which the tagger needs as context ("met X", "in Y"), and runs that touch
 * are merged into one snippet.
 */
export interface NameCandidate {
  /** Which text (slot) of the request the snippet comes from. */
  slot: number;
  /** Offset of the snippet in that text. */
  offset: number;
  text: string;
}

const CAPITALISED_RUN = /\b[A-Z][\p{L}'’\-]+(?:[ \t]+(?:[A-Z][\p{L}'’\-]+|of|de|van|von|da|del|la|le|and|&))*/gu;
const NEIGHBOUR_WORDS = 3;
/** Upper bound of candidate text per request; the rest is not looked at for names. */
export const MAX_CANDIDATE_CHARS = 8192;

function widen(text: string, start: number, end: number): [number, number] {
  let s = start;
  for (let words = 0; words < NEIGHBOUR_WORDS && s > 0; words++) {
    s--;
    while (s > 0 && /\s/.test(text[s]!)) s--;
    while (s > 0 && !/\s/.test(text[s - 1]!)) s--;
  }
  let e = end;
  for (let words = 0; words < NEIGHBOUR_WORDS && e < text.length; words++) {
    while (e < text.length && /\s/.test(text[e]!)) e++;
    while (e < text.length && !/\s/.test(text[e]!)) e++;
  }
  return [s, e];
}

/**
 * A single capitalised word opening a sentence ("She says", "Logs mention") is sentence case,
 * not a sign of a name, and in prose such words are most of the capitals: sending them (with
 * their neighbours) to the tagger would send most of the text. The cost is recall on one-word
 * names that open a sentence ("Paris is ..."); multi-word runs ("Jane Doe wrote") still go.
 */
function isSentenceCase(text: string, start: number, run: string): boolean {
  if (/\s/.test(run)) return false;
  let i = start;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  if (i === 0) return true;
  const before = text[i - 1]!;
  return before === '\n' || before === '\r' || ((before === '.' || before === '!' || before === '?') && i < start);
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
      if (isSentenceCase(text, m.index, m[0])) continue;
      const [s, e] = widen(text, m.index, m.index + m[0].length);
      if (current !== null && s <= current[1]) current[1] = Math.max(current[1], e);
      else {
        push();
        current = [s, e];
      }
    }
    push();
  });
  return out;
}
