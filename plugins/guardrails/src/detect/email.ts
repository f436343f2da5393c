import type { Detector } from './types';

const UNICODE_LETTER = /\p{L}/u;
/** RFC 6531 allows non-ASCII letters in the local part (zoë@...). */
const isLocalChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 ||
  (c > 127 && UNICODE_LETTER.test(String.fromCharCode(c)));
const isDomainChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45;
const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * Emails, found by expanding around each '@'. A regex starting with `[local chars]+@` would be
 * retried at every position of every long token (quadratic on base64 blobs); this is linear.
 */
export function emailDetector(): Detector {
  return {
    type: 'EMAIL',
    maxLength: 254,
    find(text, out) {
      for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
        let start = at;
        while (start > 0 && at - start < 64 && isLocalChar(text.charCodeAt(start - 1))) start--;
        while (start < at && text.charCodeAt(start) === 46) start++; // no leading dot
        if (start === at) continue;
        let end = at + 1;
        while (end < text.length && end - at < 255 && isDomainChar(text.charCodeAt(end))) end++;
        while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
        const domain = text.slice(at + 1, end);
        const lastDot = domain.lastIndexOf('.');
        if (lastDot <= 0 || domain.includes('..')) continue;
        const tld = domain.slice(lastDot + 1);
        if (tld.length < 2 || tld.length > 24) continue;
        let alphaTld = true;
        for (let i = 0; i < tld.length; i++) if (!isAlpha(tld.charCodeAt(i))) alphaTld = false;
        if (!alphaTld) continue;
        out.push({ type: 'EMAIL', start, end });
      }
    },
  };
}
