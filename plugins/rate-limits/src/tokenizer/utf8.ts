/**
 * UTF-8 encoding of one piece of text into a reusable scratch buffer. Hand-rolled rather than
 * TextEncoder so that a piece costs no allocation (pieces are a few bytes; TextEncoder.encode
 * allocates a Uint8Array each time and encodeInto needs a substring).
 */

/** Scratch kept between pieces; a piece longer than this gets a one-off buffer instead. */
const MAX_RETAINED_BYTES = 64 * 1024;

export class Utf8Scratch {
  private retained = new Uint8Array(256);
  /** The encoded piece is bytes[0, length): the retained buffer, or a one-off for a huge piece. */
  bytes: Uint8Array = this.retained;
  length = 0;
  /**
   * Whether the piece held an unpaired surrogate (encoded as U+FFFD, as TextEncoder does).
   * gpt-tokenizer looks whole pieces up by JS string, which such a piece never equals, so the
   * counter must skip the whole-piece lookup for it to give the same count.
   */
  hadLoneSurrogate = false;

  /** Encodes text[start, end). */
  encode(text: string, start: number, end: number): void {
    const needed = (end - start) * 3; // a UTF-16 unit never takes more than 3 bytes
    if (needed > this.retained.length) {
      const grown = new Uint8Array(Math.max(needed, this.retained.length * 2));
      if (grown.length <= MAX_RETAINED_BYTES) this.retained = grown;
      this.bytes = grown;
    } else {
      this.bytes = this.retained;
    }
    const out = this.bytes;
    let n = 0;
    let lone = false;
    for (let i = start; i < end; i++) {
      let c = text.charCodeAt(i);
      if (c < 0x80) {
        out[n++] = c;
      } else if (c < 0x800) {
        out[n++] = 0xc0 | (c >> 6);
        out[n++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        out[n++] = 0xe0 | (c >> 12);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
      } else {
        const next = i + 1 < end ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[n++] = 0xf0 | (c >> 18);
          out[n++] = 0x80 | ((c >> 12) & 0x3f);
          out[n++] = 0x80 | ((c >> 6) & 0x3f);
          out[n++] = 0x80 | (c & 0x3f);
        } else {
          lone = true; // U+FFFD REPLACEMENT CHARACTER
          out[n++] = 0xef;
          out[n++] = 0xbf;
          out[n++] = 0xbd;
        }
      }
    }
    this.length = n;
    this.hadLoneSurrogate = lone;
  }

  /** Drops a one-off buffer of a huge piece so that an idle tokenizer does not hold it. */
  release(): void {
    this.bytes = this.retained;
  }
}

/**
 * Whether bytes[start, end) is well-formed UTF-8 (no overlongs, surrogates or code points
 * above U+10FFFF): the check gpt-tokenizer's isValidUTF8 makes before it decodes a byte slice.
 */
export function isWellFormedUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    let size: number;
    let cp: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if ((b & 0xe0) === 0xc0) {
      if (b <= 0xc1) return false;
      size = 2;
      cp = b & 0x1f;
    } else if ((b & 0xf0) === 0xe0) {
      size = 3;
      cp = b & 0x0f;
    } else if ((b & 0xf8) === 0xf0) {
      if (b > 0xf4) return false;
      size = 4;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + size > end) return false;
    for (let j = 1; j < size; j++) {
      const c = bytes[i + j]!;
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if ((size === 3 && cp < 0x800) || (size === 4 && cp < 0x10000)) return false;
    if (cp >= 0xd800 && cp <= 0xdfff) return false;
    if (cp > 0x10ffff) return false;
    i += size;
  }
  return true;
}
