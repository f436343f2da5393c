/**
 * Save-time check that a custom pattern cannot backtrack catastrophically. V8's engine
 * backtracks, so we reject the shapes that make it exponential or high-polynomial:
 *  - backreferences (no linear bound at all);
 *  - nested quantifiers: a repeated group that itself contains an unbounded repeat, `(a+)+`;
 *  - ambiguous alternation under a repeat: branches that can start with the same character,
 *    `(a|ab)*`, `(\w|\d)+`;
 *  - adjacent unbounded repeats over overlapping characters, `\d+\d*`, `.*.*`.
 * What is left is at worst quadratic, and the scanner caps every input it runs a custom pattern
 * on, so the cost per request stays bounded.
 */
import { intersects, parseRegex, RegexSyntaxError, union, type Ranges, type RegexNode } from './regex-ast';

/** Repeats above this count are treated like `*` (a{1,1000} backtracks like a*). */
const LARGE_REPEAT = 16;
const isRepeating = (n: RegexNode): n is Extract<RegexNode, { kind: 'quant' }> => n.kind === 'quant' && n.max > 1;
const isUnbounded = (n: RegexNode): boolean => n.kind === 'quant' && n.max > LARGE_REPEAT;

function nullable(node: RegexNode): boolean {
  switch (node.kind) {
    case 'chars': return false;
    case 'empty': case 'backref': return true;
    case 'quant': return node.min === 0 || nullable(node.node);
    case 'group': return node.lookaround || node.alternatives.some((seq) => seq.every(nullable));
  }
}

/** Characters the node can start with. */
function firstSet(node: RegexNode): Ranges {
  switch (node.kind) {
    case 'chars': return node.set;
    case 'empty': case 'backref': return [];
    case 'quant': return firstSet(node.node);
    case 'group': {
      if (node.lookaround) return [];
      let set: Ranges = [];
      for (const seq of node.alternatives) set = union(set, seqFirstSet(seq));
      return set;
    }
  }
}
function seqFirstSet(seq: readonly RegexNode[]): Ranges {
  let set: Ranges = [];
  for (const item of seq) {
    set = union(set, firstSet(item));
    if (!nullable(item)) break;
  }
  return set;
}

function containsUnboundedRepeat(node: RegexNode): boolean {
  switch (node.kind) {
    case 'quant': return isUnbounded(node) || containsUnboundedRepeat(node.node);
    case 'group': return node.alternatives.some((seq) => seq.some(containsUnboundedRepeat));
    default: return false;
  }
}

/** The first problem found, as a sentence for the operator; null when the pattern is safe. */
export function findBacktrackingRisk(source: string, flags = ''): string | null {
  let root: RegexNode;
  try {
    root = parseRegex(source, flags);
    new RegExp(source, flags.replace(/[^imsu]/g, ''));
  } catch (err) {
    return `is not a valid regular expression (${err instanceof RegexSyntaxError || err instanceof SyntaxError ? err.message : 'parse error'})`;
  }

  const visit = (node: RegexNode): string | null => {
    if (node.kind === 'backref') return 'uses a backreference, which cannot be matched in bounded time';
    if (node.kind === 'quant') {
      if (isRepeating(node) && containsUnboundedRepeat(node.node)) {
        return 'nests a repeated expression inside another repeat (like (a+)+), which can backtrack exponentially';
      }
      if (isRepeating(node) && node.node.kind === 'group') {
        const branches = node.node.alternatives.map(seqFirstSet);
        for (let i = 0; i < branches.length; i++)
          for (let j = i + 1; j < branches.length; j++)
            if (intersects(branches[i]!, branches[j]!)) {
              return 'repeats an alternation whose branches can match the same text (like (a|ab)*), which can backtrack exponentially';
            }
      }
      return visit(node.node);
    }
    if (node.kind === 'group') {
      for (const seq of node.alternatives) {
        const problem = checkAdjacentRepeats(seq);
        if (problem !== null) return problem;
        for (const item of seq) {
          const inner = visit(item);
          if (inner !== null) return inner;
        }
      }
    }
    return null;
  };
  return visit(root);
}

function checkAdjacentRepeats(seq: readonly RegexNode[]): string | null {
  for (let i = 0; i < seq.length; i++) {
    const a = seq[i]!;
    if (!isUnbounded(a)) continue;
    const aSet = firstSet(a);
    // Look past nullable items: \d+\s*\d+ is as ambiguous as \d+\d+.
    for (let j = i + 1; j < seq.length; j++) {
      const b = seq[j]!;
      if (isUnbounded(b) && intersects(aSet, firstSet(b))) {
        return 'has two unbounded repeats in a row that can match the same characters (like \\d+\\d+ or .*.*), which backtracks polynomially';
      }
      if (!nullable(b)) break;
    }
  }
  return null;
}
