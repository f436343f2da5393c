/**
 * o200k_base's pre-tokenizer: the regex that splits text into pieces before BPE runs on each
 * piece separately. The pattern is gpt-tokenizer 3.4.0's O200K_TOKEN_SPLIT_PATTERN
 * (src/encodingParams/constants.ts) verbatim, so the pieces, and therefore the counts, are
 * the same as gpt-tokenizer's: both run on V8's regex engine with the same `u` semantics.
 */

/** Case-insensitive contraction suffix ('s 'T 'LL ...) that stays attached to a word. */
const CONTRACTION_SUFFIX = String.raw`'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])`;

export const O200K_PIECE_PATTERN = [
  // A word ending in lower-case letters (optionally led by one non-letter such as a space).
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:${CONTRACTION_SUFFIX})?`,
  // A word of upper-case letters (ALLCAPS, or Capitalised followed by lower case).
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:${CONTRACTION_SUFFIX})?`,
  // Digits, in groups of at most three.
  String.raw`\p{N}{1,3}`,
  // Punctuation and symbols, with the newlines or slashes that follow them.
  String.raw` ?[^\s\p{L}\p{N}]+[\r\n/]*`,
  // Whitespace ending in newlines.
  String.raw`\s*[\r\n]+`,
  // Whitespace not followed by a non-space (leaves the last space to lead the next word).
  String.raw`\s+(?!\S)`,
  String.raw`\s+`,
].join('|');

/**
 * A fresh sticky regex for the pattern. Each tokenizer instance owns one because `lastIndex`
 * is mutable state. Sticky (`y`) rather than global: every code point starts a match (each is
 * whitespace, a letter, a number or something else, and an alternative covers each class,
 * none of them empty), so the pieces tile the text with no gaps; sticky makes a gap an error
 * instead of silently skipping text.
 */
export function createPieceRegex(): RegExp {
  return new RegExp(O200K_PIECE_PATTERN, 'uy');
}
