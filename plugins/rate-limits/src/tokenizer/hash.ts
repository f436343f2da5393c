/**
 * 32-bit hash of a token's bytes for the rank table: FNV-1a over the bytes, then murmur3's
 * finaliser so that the low bits (the table index) and the high bits (the slot tag) both mix
 * every byte. Token byte strings are at most 128 bytes, so a byte-at-a-time loop is enough.
 *
 * Two entry points that must agree: one over bytes, one over the char codes of an ASCII run of
 * a JS string (whose UTF-8 bytes are its char codes), which lets the common case of an ASCII
 * piece be looked up without encoding it first.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  return finish(h);
}

/** hashBytes of text[start, end)'s UTF-8, or -1 when that range is not all ASCII. */
export function hashAscii(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return -1;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return finish(h);
}
