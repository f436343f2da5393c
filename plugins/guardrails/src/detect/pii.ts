/**
 * Structured personal data found by pattern plus validation. Every factory returns fresh
 * RegExp objects (a global regex carries lastIndex, so sharing one across scanners would be
 * shared mutable state).
 */
import { isIPv6 } from 'node:net';
import { regexDetector, trailingGroupSpan, type Detector, type Span } from './types';
import { base58CheckValid, bech32Valid, cardNumberValid, IBAN_LENGTHS, ibanValid, ssnValid } from './validators';

const hasDigit = (text: string): boolean => /\d/.test(text);

export function creditCardDetector(): Detector {
  return regexDetector({
    type: 'CREDIT_CARD',
    regex: /(?<![\w.\-])\d(?:[ \-]?\d){12,18}(?![\w\-]|\.\d)/g,
    maxLength: 23,
    gate: hasDigit,
    accept(m) {
      const raw = m[0];
      // Separators, when present, must be one kind (4111-1111 1111 is not how cards are written).
      if (raw.includes(' ') && raw.includes('-')) return null;
      const digits = raw.replace(/[ \-]/g, '');
      return cardNumberValid(digits) ? { type: 'CREDIT_CARD', start: m.index, end: m.index + raw.length } : null;
    },
  });
}

export function ibanDetector(): Detector {
  return regexDetector({
    type: 'IBAN',
    regex: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/g,
    maxLength: 42,
    accept(m, text) {
      const expected = IBAN_LENGTHS[m[0].slice(0, 2)];
      if (expected === undefined) return null;
      // The regex may run on into a following upper-case word; cut at the country's length.
      let compact = '';
      let end = m.index;
      while (end < text.length && compact.length < expected) {
        const ch = text[end]!;
        if (ch !== ' ') {
          if (!/[A-Z0-9]/.test(ch)) return null;
          compact += ch;
        }
        end++;
      }
      if (compact.length !== expected || /[A-Za-z0-9]/.test(text[end] ?? '')) return null;
      return ibanValid(compact) ? { type: 'IBAN', start: m.index, end } : null;
    },
  });
}

export function ssnDetectors(): Detector[] {
  return [
    regexDetector({
      type: 'US_SSN',
      regex: /(?<![\w\-])(\d{3})([\- ])(\d{2})\2(\d{4})(?![\w\-])/g,
      maxLength: 11,
      gate: hasDigit,
      accept: (m) => (ssnValid(m[1]!, m[3]!, m[4]!) ? { type: 'US_SSN', start: m.index, end: m.index + m[0].length } : null),
    }),
    // Nine bare digits are only an SSN when the text says so.
    regexDetector({
      type: 'US_SSN',
      regex: /\b(?:SSN|social security(?: number| no\.?| #)?)\s*(?:is|:|#|=)?\s*(\d{9})\b/gi,
      maxLength: 9,
      gate: hasDigit,
      accept: (m) => {
        const v = m[1]!;
        return ssnValid(v.slice(0, 3), v.slice(3, 5), v.slice(5)) ? trailingGroupSpan('US_SSN', m, 1) : null;
      },
    }),
  ];
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

export function ipDetectors(): Detector[] {
  return [
    regexDetector({
      type: 'IP_ADDRESS',
      regex: new RegExp(`(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?![\\w]|\\.\\d)`, 'g'),
      maxLength: 15,
      gate: hasDigit,
      accept(m, text) {
        // "v1.2.3.4" and "version 1.2.3.4" are version strings, not hosts.
        const before = text.slice(Math.max(0, m.index - 9), m.index).toLowerCase();
        if (/(?:^|[^a-z])v$|version\s*$/.test(before)) return null;
        return { type: 'IP_ADDRESS', start: m.index, end: m.index + m[0].length };
      },
    }),
    ipv6Detector(),
  ];
}

export function macDetector(): Detector {
  return regexDetector({
    type: 'MAC_ADDRESS',
    regex: /(?<![\w:\-])[0-9A-Fa-f]{2}([:\-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![\w:\-])/g,
    maxLength: 17,
  });
}

const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const YEAR = '(?:19|20)\\d{2}';
const DATE =
  `(?:\\d{1,2}[./\\-]\\d{1,2}[./\\-]${YEAR}|${YEAR}[./\\-]\\d{1,2}[./\\-]\\d{1,2}` +
  `|${MONTH}\\.? \\d{1,2}(?:st|nd|rd|th)?,? ${YEAR}|\\d{1,2}(?:st|nd|rd|th)? (?:of )?${MONTH}\\.?,? ${YEAR})`;
/** Keywords that make a date a date of birth; also drive the stream hold-back (see stream guard). */
export const DOB_KEYWORD_SOURCE = '\\b(?:born|d\\.?o\\.?b\\.?|date of birth|birth ?date|birthday|geburtsdatum|geboren)';
/** How far after the keyword the date may end. */
export const DOB_REACH = 48;

export function dateOfBirthDetector(): Detector {
  return regexDetector({
    type: 'DATE_OF_BIRTH',
    regex: new RegExp(`${DOB_KEYWORD_SOURCE}(?![a-z])[^\\n\\d]{0,16}?(${DATE})(?![\\w])`, 'gi'),
    maxLength: 20,
    gate: hasDigit,
    accept: (m) => trailingGroupSpan('DATE_OF_BIRTH', m, 1),
  });
}

export function passportDetector(): Detector {
  return regexDetector({
    type: 'PASSPORT',
    regex: /\b(?:passport|reisepass)(?:\s*(?:no\.?|number|num|nr\.?|#|id))?(?:\s+is)?\s*[:#]?\s*([A-Za-z0-9]{6,9})\b/gi,
    maxLength: 9,
    gate: hasDigit,
    accept(m) {
      const v = m[1]!;
      // The 'i' flag lets the keyword vary in case; the number itself is upper case with digits.
      if (v !== v.toUpperCase() || !/\d/.test(v) || !/^[A-Z]{0,3}\d/.test(v)) return null;
      return trailingGroupSpan('PASSPORT', m, 1);
    },
  });
}

export function nationalIdDetectors(): Detector[] {
  return [
    // UK National Insurance number: its letter rules make it unambiguous without a keyword.
    regexDetector({
      type: 'NATIONAL_ID',
      regex: /\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
      maxLength: 13,
      gate: hasDigit,
    }),
    regexDetector({
      type: 'NATIONAL_ID',
      regex: /\b(?:national id(?:entity)?|national insurance|identity card|id card|personalausweis|DNI|NIE)(?:\s*(?:no\.?|number|nr\.?|#))?(?:\s+is)?\s*[:#]?\s*([A-Z0-9]{6,12})\b/gi,
      maxLength: 12,
      gate: hasDigit,
      accept(m) {
        const v = m[1]!;
        if (v !== v.toUpperCase() || !/\d/.test(v)) return null;
        return trailingGroupSpan('NATIONAL_ID', m, 1);
      },
    }),
  ];
}

export function cryptoWalletDetectors(): Detector[] {
  const span = (m: RegExpExecArray): Span => ({ type: 'CRYPTO_WALLET', start: m.index, end: m.index + m[0].length });
  return [
    regexDetector({
      type: 'CRYPTO_WALLET',
      regex: /\bbc1[ac-hj-np-z02-9]{8,87}\b/g,
      maxLength: 90,
      accept: (m) => (bech32Valid(m[0]) ? span(m) : null),
    }),
    regexDetector({
      type: 'CRYPTO_WALLET',
      regex: /\b[13][a-km-zA-HJ-NP-Z1-9]{25,34}\b/g,
      maxLength: 35,
      accept: (m) => (base58CheckValid(m[0]) ? span(m) : null),
    }),
    regexDetector({ type: 'CRYPTO_WALLET', regex: /\b0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])/g, maxLength: 42 }),
  ];
}

const isHexOrColon = (c: number): boolean => (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * IPv6, found by expanding around each ':' (a regex over hex letters would be retried at most
 * positions of English text, since a-f are common letters). node:net decides validity.
 */
function ipv6Detector(): Detector {
  return {
    type: 'IP_ADDRESS',
    maxLength: 45,
    find(text, out) {
      for (let colon = text.indexOf(':'); colon !== -1; ) {
        let start = colon;
        while (start > 0 && colon - start < 40 && isHexOrColon(text.charCodeAt(start - 1))) start--;
        let end = colon + 1;
        // Hex groups and colons, plus an embedded IPv4 tail (::ffff:192.0.2.1).
        while (end < text.length && end - start < 45 && (isHexOrColon(text.charCodeAt(end)) || text.charCodeAt(end) === 46)) end++;
        while (end > colon && text.charCodeAt(end - 1) === 46) end--;
        const next = text.indexOf(':', end);
        const candidate = text.slice(start, end);
        const groups = candidate.split(':').filter((g) => g.length > 0).length;
        if (
          groups >= 3 &&
          !(start > 0 && isWordChar(text.charCodeAt(start - 1))) &&
          !(end < text.length && isWordChar(text.charCodeAt(end))) &&
          /\d/.test(candidate) &&
          isIPv6(candidate)
        ) {
          out.push({ type: 'IP_ADDRESS', start, end });
        }
        colon = next;
      }
    },
  };
}

const SCHEME_CHAR = /[a-zA-Z0-9+.\-]/;

/** `scheme://user:password@host`, anchored on each '://'. */
export function urlCredentialsDetector(): Detector {
  const userinfo = /[^\s:@\/]{1,128}:[^\s@\/]{1,128}@[^\s\/?#"'<>]{1,253}/y;
  return {
    type: 'URL_CREDENTIALS',
    maxLength: 256,
    find(text, out) {
      for (let sep = text.indexOf('://'); sep !== -1; sep = text.indexOf('://', sep + 3)) {
        let start = sep;
        while (start > 0 && sep - start < 16 && SCHEME_CHAR.test(text[start - 1]!)) start--;
        while (start < sep && !/[a-zA-Z]/.test(text[start]!)) start++;
        if (sep - start < 2 || (start > 0 && /\w/.test(text[start - 1]!))) continue;
        userinfo.lastIndex = sep + 3;
        const m = userinfo.exec(text);
        if (m !== null) out.push({ type: 'URL_CREDENTIALS', start, end: sep + 3 + m[0].length });
      }
    },
  };
}
