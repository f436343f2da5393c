/**
 * Structured personal data found by pattern plus validation. Every factory returns fresh
 * RegExp objects (a global regex carries lastIndex, so sharing one across scanners would be
 * shared mutable state).
 */
import { isIPv6 } from 'node:net';
import { forEachRunDigit, type SharedScan } from './shared-scan';
import { anchoredDetector, isDigitCode, isWordCode, regexDetector, trailingGroupSpan, type Detector, type Span } from './types';
import { base58CheckValid, bech32Valid, cardNumberValid, IBAN_LENGTHS, ibanValid, ssnValid } from './validators';

/** Gate for detectors whose value always holds a digit; the scan computes it once for all of them. */
const hasDigit = (_text: string, shared: SharedScan): boolean => shared.hasDigit();

// The look-behinds of the card, SSN and IPv4 patterns, as pre-checks on the previous character.
const cardMayFollow = (c: number): boolean => !isWordCode(c) && c !== 46 && c !== 45;
const ssnMayFollow = (c: number): boolean => !isWordCode(c) && c !== 45;
const ipv4MayFollow = (c: number): boolean => !isWordCode(c) && c !== 46;

export const CARD_SOURCE = '(?<![\\w.\\-])\\d(?:[ \\-]?\\d){12,18}(?![\\w\\-]|\\.\\d)';
export const SSN_DASHED_SOURCE = '(?<![\\w\\-])(\\d{3})([\\- ])(\\d{2})\\2(\\d{4})(?![\\w\\-])';
export const HEX_WALLET_SOURCE = '\\b0x[0-9a-fA-F]{40}(?![0-9a-zA-Z])';
type Visit = (position: number) => void;
export const cardCandidates = (_text: string, shared: SharedScan, visit: Visit): void => forEachRunDigit(shared, 13, cardMayFollow, visit);
export const ssnCandidates = (_text: string, shared: SharedScan, visit: Visit): void => forEachRunDigit(shared, 11, ssnMayFollow, visit);
export const ipv4Candidates = (_text: string, shared: SharedScan, visit: Visit): void => forEachRunDigit(shared, 7, ipv4MayFollow, visit);
/** Literal prefix: indexOf skips to each "0x" far faster than the regex can. */
export const hexWalletCandidates = (text: string, _shared: SharedScan, visit: Visit): void => {
  for (let at = text.indexOf('0x'); at !== -1; at = text.indexOf('0x', at + 1)) visit(at);
};

export function creditCardDetector(): Detector {
  return anchoredDetector({
    type: 'CREDIT_CARD',
    regex: new RegExp(CARD_SOURCE, 'y'),
    maxLength: 23,
    // Digits, spaces and dashes, digit first and last: a match lies inside one number run.
    candidates: cardCandidates,
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
    anchoredDetector({
      type: 'US_SSN',
      regex: new RegExp(SSN_DASHED_SOURCE, 'y'),
      maxLength: 11,
      // Digits and one kind of separator, digit first and last: inside one number run.
      candidates: ssnCandidates,
      accept: (m) => (ssnValid(m[1]!, m[3]!, m[4]!) ? { type: 'US_SSN', start: m.index, end: m.index + m[0].length } : null),
    }),
    // Nine bare digits are only an SSN when the text says so.
    regexDetector({
      type: 'US_SSN',
      regex: /\b(?:SSN|social security(?: number| no\.?| #)?)\s*(?:is|:|#|=)?\s*(\d{9})\b/gi,
      maxLength: 9,
      // Nine digits in a row are a number run at least that long.
      gate: (_text, shared) => shared.longestNumberRun() >= 9,
      accept: (m) => {
        const v = m[1]!;
        return ssnValid(v.slice(0, 3), v.slice(3, 5), v.slice(5)) ? trailingGroupSpan('US_SSN', m, 1) : null;
      },
    }),
  ];
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
export const IPV4_SOURCE = `(?<![\\w.])${OCTET}(?:\\.${OCTET}){3}(?![\\w]|\\.\\d)`;

export function ipDetectors(): Detector[] {
  return [
    anchoredDetector({
      type: 'IP_ADDRESS',
      regex: new RegExp(IPV4_SOURCE, 'y'),
      maxLength: 15,
      // Digits and dots, digit first and last, 7+ characters: inside one number run.
      candidates: ipv4Candidates,
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
    anchoredDetector({
      type: 'CRYPTO_WALLET',
      regex: new RegExp(HEX_WALLET_SOURCE, 'y'),
      maxLength: 42,
      candidates: hexWalletCandidates,
    }),
  ];
}

const isHexOrColon = (c: number): boolean => (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

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
        // Count the non-empty groups and look for a digit without slicing: most colons in prose
        // ("Note:", "10:42") fail here, and only real candidates reach node:net.
        let groups = 0;
        let inGroup = false;
        let digit = false;
        for (let k = start; k < end; k++) {
          const c = text.charCodeAt(k);
          if (c === 58) inGroup = false;
          else {
            if (!inGroup) groups++;
            inGroup = true;
            if (isDigitCode(c)) digit = true;
          }
        }
        if (
          groups >= 3 &&
          digit &&
          !(start > 0 && isWordCode(text.charCodeAt(start - 1))) &&
          !(end < text.length && isWordCode(text.charCodeAt(end))) &&
          isIPv6(text.slice(start, end))
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
