/**
 * Parser for tiktoken's rank files (`<base64 token bytes> <rank>\n` per line), straight from the
 * file's bytes into one concatenated byte array plus offsets. No per-line strings or Buffers:
 * the 200k small allocations would dominate the build time and churn the heap.
 */

export interface TokenByteStrings {
  /** Every token's bytes, concatenated in rank order. */
  bytes: Uint8Array;
  /** Token r is bytes[offsets[r], offsets[r + 1]). */
  offsets: Uint32Array;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const PAD = 0x3d; // '='

/** Value of each base64 character, -1 for bytes that are not one (a constant table). */
const BASE64_VALUES: Int8Array = (() => {
  const values = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) values[alphabet.charCodeAt(i)] = i;
  return values;
})();

/**
 * Parses a .tiktoken file. Ranks must be 0, 1, 2, ... in file order (true of every file
 * tiktoken publishes); anything else is rejected rather than guessed at.
 */
export function parseTiktoken(file: Uint8Array): TokenByteStrings {
  let lines = 0;
  for (let i = 0; i < file.length; i++) if (file[i] === NEWLINE) lines++;
  if (file.length > 0 && file[file.length - 1] !== NEWLINE) lines++;

  // Decoded base64 is at most 3/4 of the file; trimmed to size at the end.
  const bytes = new Uint8Array(Math.ceil((file.length * 3) / 4));
  const offsets = new Uint32Array(lines + 1);
  let out = 0;
  let rank = 0;
  let pos = 0;
  while (pos < file.length) {
    if (file[pos] === NEWLINE) {
      pos++; // blank line
      continue;
    }
    offsets[rank] = out;
    // Base64 up to the space: 4 characters -> 3 bytes, '=' padding ends the token.
    let acc = 0;
    let bits = 0;
    while (pos < file.length && file[pos] !== SPACE) {
      const c = file[pos++]!;
      if (c === PAD) continue;
      const v = BASE64_VALUES[c]!;
      if (v < 0) throw new Error(`tiktoken file: bad base64 byte ${c} at ${pos - 1}`);
      acc = ((acc << 6) | v) & 0xffffff; // only the low, unemitted bits matter
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        bytes[out++] = (acc >> bits) & 0xff;
      }
    }
    pos++; // the space
    let value = 0;
    let digits = 0;
    while (pos < file.length && file[pos] !== NEWLINE && file[pos] !== CARRIAGE_RETURN) {
      const d = file[pos++]! - 0x30;
      if (d < 0 || d > 9) throw new Error(`tiktoken file: bad rank at byte ${pos - 1}`);
      value = value * 10 + d;
      digits++;
    }
    while (pos < file.length && file[pos] !== NEWLINE) pos++; // '\r'
    pos++;
    if (digits === 0 || value !== rank) throw new Error(`tiktoken file: line ${rank + 1} has rank ${value}, expected ${rank}`);
    if (offsets[rank] === out) throw new Error(`tiktoken file: token ${rank} is empty`);
    rank++;
  }
  offsets[rank] = out;
  return { bytes: bytes.slice(0, out), offsets: offsets.slice(0, rank + 1) };
}
