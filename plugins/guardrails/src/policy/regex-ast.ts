/**
 * A small parser for JavaScript regex sources, enough to reason about backtracking: character
 * sets as code-point ranges, groups, alternation and quantifiers. Unknown constructs (\p{..})
 * become "any character", which only ever makes the safety check stricter.
 */
export type Ranges = ReadonlyArray<readonly [number, number]>;

export type RegexNode =
  | { kind: 'chars'; set: Ranges }
  | { kind: 'empty' } // anchors and lookarounds consume nothing
  | { kind: 'backref' }
  | { kind: 'group'; alternatives: RegexNode[][]; lookaround: boolean }
  | { kind: 'quant'; node: RegexNode; min: number; max: number };

export class RegexSyntaxError extends Error {}

const MAX_CP = 0x10ffff;
export const ANY: Ranges = [[0, MAX_CP]];
const DIGIT: Ranges = [[48, 57]];
const WORD: Ranges = [[48, 57], [65, 90], [95, 95], [97, 122]];
const SPACE: Ranges = [[9, 13], [32, 32], [160, 160], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];

export function normalize(ranges: Iterable<readonly [number, number]>): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}
export function complement(set: Ranges): Ranges {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of normalize(set)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}
export const union = (a: Ranges, b: Ranges): Ranges => normalize([...a, ...b]);
export function intersects(a: Ranges, b: Ranges): boolean {
  for (const [alo, ahi] of a) for (const [blo, bhi] of b) if (alo <= bhi && blo <= ahi) return true;
  return false;
}
/** Case-insensitive matching widens letter ranges to both cases. */
function foldCase(set: Ranges): Ranges {
  const extra: [number, number][] = [];
  for (const [lo, hi] of set) {
    const l1 = Math.max(lo, 97), h1 = Math.min(hi, 122);
    if (l1 <= h1) extra.push([l1 - 32, h1 - 32]);
    const l2 = Math.max(lo, 65), h2 = Math.min(hi, 90);
    if (l2 <= h2) extra.push([l2 + 32, h2 + 32]);
  }
  return extra.length === 0 ? set : normalize([...set, ...extra]);
}

export function parseRegex(source: string, flags: string): RegexNode {
  const ignoreCase = flags.includes('i');
  const dotAll = flags.includes('s');
  let pos = 0;
  const peek = (): string | undefined => source[pos];
  const fail = (what: string): never => {
    throw new RegexSyntaxError(`${what} at position ${pos}`);
  };
  const chars = (set: Ranges): RegexNode => ({ kind: 'chars', set: ignoreCase ? foldCase(set) : set });
  const single = (cp: number): Ranges => [[cp, cp]];

  const readHex = (n: number): number => {
    const hex = source.slice(pos, pos + n);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) fail('bad hex escape');
    pos += n;
    return parseInt(hex, 16);
  };

  /** An escape after the backslash; returns a set, or a node for anchors/backrefs. */
  const parseEscape = (inClass: boolean): Ranges | RegexNode => {
    const c = source[pos++];
    if (c === undefined) return fail('trailing backslash');
    switch (c) {
      case 'd': return DIGIT;
      case 'D': return complement(DIGIT);
      case 'w': return WORD;
      case 'W': return complement(WORD);
      case 's': return SPACE;
      case 'S': return complement(SPACE);
      case 'n': return single(10);
      case 'r': return single(13);
      case 't': return single(9);
      case 'v': return single(11);
      case 'f': return single(12);
      case '0': return single(0);
      case 'x': return single(readHex(2));
      case 'c': pos++; return ANY;
      case 'p': case 'P':
        if (peek() === '{') pos = source.indexOf('}', pos) + 1 || fail('unterminated \\p{');
        return ANY;
      case 'u':
        if (peek() === '{') {
          const close = source.indexOf('}', pos);
          if (close < 0) fail('unterminated \\u{');
          const cp = parseInt(source.slice(pos + 1, close), 16);
          pos = close + 1;
          return single(cp);
        }
        return single(readHex(4));
      case 'b': case 'B':
        return inClass ? single(8) : { kind: 'empty' };
      case 'k':
        if (!inClass) return { kind: 'backref' };
        return single(107);
      default:
        if (c >= '1' && c <= '9' && !inClass) return { kind: 'backref' };
        return single(c.codePointAt(0)!);
    }
  };

  const parseClass = (): RegexNode => {
    let negate = false;
    if (peek() === '^') { negate = true; pos++; }
    const parts: [number, number][] = [];
    while (peek() !== ']') {
      if (pos >= source.length) fail('unterminated character class');
      let lo: Ranges;
      const c = source[pos++]!;
      if (c === '\\') {
        const e = parseEscape(true);
        if (!Array.isArray(e)) return fail('unexpected escape in class');
        lo = e as Ranges;
      } else lo = single(c.codePointAt(0)!);
      if (peek() === '-' && source[pos + 1] !== ']' && lo.length === 1 && lo[0]![0] === lo[0]![1]) {
        pos++;
        let hiCp: number;
        const h = source[pos++]!;
        if (h === '\\') {
          const e = parseEscape(true);
          if (!Array.isArray(e) || (e as Ranges).length !== 1) return fail('bad class range');
          hiCp = (e as Ranges)[0]![0];
        } else hiCp = h.codePointAt(0)!;
        if (hiCp < lo[0]![0]) fail('class range out of order');
        parts.push([lo[0]![0], hiCp]);
      } else parts.push(...lo.map((r) => [r[0], r[1]] as [number, number]));
    }
    pos++; // ]
    const set = normalize(parts);
    return chars(negate ? complement(ignoreCase ? foldCase(set) : set) : set);
  };

  const parseAtom = (): RegexNode => {
    const c = source[pos++]!;
    switch (c) {
      case '.': return chars(dotAll ? ANY : complement([[10, 10], [13, 13], [0x2028, 0x2029]]));
      case '^': case '$': return { kind: 'empty' };
      case '[': return parseClass();
      case '\\': {
        const e = parseEscape(false);
        return Array.isArray(e) ? chars(e as Ranges) : (e as RegexNode);
      }
      case '(': {
        let lookaround = false;
        if (source.startsWith('?:', pos)) pos += 2;
        else if (source.startsWith('?=', pos) || source.startsWith('?!', pos)) { pos += 2; lookaround = true; }
        else if (source.startsWith('?<=', pos) || source.startsWith('?<!', pos)) { pos += 3; lookaround = true; }
        else if (source.startsWith('?<', pos)) {
          const close = source.indexOf('>', pos);
          if (close < 0) fail('unterminated group name');
          pos = close + 1;
        } else if (peek() === '?') fail('unsupported group syntax');
        const alternatives = parseAlternatives();
        if (source[pos++] !== ')') fail('unterminated group');
        return { kind: 'group', alternatives, lookaround };
      }
      case ')': return fail('unmatched )');
      case '*': case '+': case '?': return fail('nothing to repeat');
      default: return chars(single(c.codePointAt(0)!));
    }
  };

  const parseQuantifier = (node: RegexNode): RegexNode => {
    let min: number, max: number;
    const c = peek();
    if (c === '*') { min = 0; max = Infinity; pos++; }
    else if (c === '+') { min = 1; max = Infinity; pos++; }
    else if (c === '?') { min = 0; max = 1; pos++; }
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(pos));
      if (m === null) return node; // a literal '{'
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) fail('quantifier range out of order');
      pos += m[0].length;
    } else return node;
    if (peek() === '?') pos++; // lazy: same backtracking surface
    if (node.kind === 'empty') return node;
    return { kind: 'quant', node, min, max };
  };

  const parseSequence = (): RegexNode[] => {
    const items: RegexNode[] = [];
    while (pos < source.length && peek() !== '|' && peek() !== ')') items.push(parseQuantifier(parseAtom()));
    return items;
  };
  function parseAlternatives(): RegexNode[][] {
    const alternatives = [parseSequence()];
    while (peek() === '|') {
      pos++;
      alternatives.push(parseSequence());
    }
    return alternatives;
  }

  const alternatives = parseAlternatives();
  if (pos < source.length) fail('unmatched )');
  return { kind: 'group', alternatives, lookaround: false };
}
