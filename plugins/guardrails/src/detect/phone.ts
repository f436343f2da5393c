import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Detector } from './types';

/**
 * Phone numbers. libphonenumber's own text scanner costs ~6 ms per 2 KB, so a cheap regex finds
 * digit runs shaped like phone numbers first and the library only validates those candidates
 * (~15 µs each). Shapes accepted:
 *  - international: `+<country> ...` validated without a default region;
 *  - national with a trunk `0` (DE, GB, FR, ...): validated against the policy's regions;
 *  - NANP `(415) 555-2671` / `415-555-2671`: validated as US/CA when those regions are on.
 * Bare digit strings without separators are not phones: they are order and invoice numbers far
 * more often than not.
 */
const CANDIDATE =
  /(?<![\w.+\-\/])(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,5}\)[ .\-]?)?\d{1,5}(?:[ .\-\/]\d{1,8}){0,6}(?![\w\-]|[.\/]\d)/g;
const DATE_LIKE = /^(?:\d{4}[-\/.]\d{1,2}[-\/.]\d{1,2}|\d{1,2}[-\/.]\d{1,2}[-\/.]\d{2,4})$/;
const NANP_SHAPE = /^(?:\+?1[ .\-]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[ .\-]?[2-9]\d{2}[ .\-]\d{4}$/;
const DOTTED_NUMBERS = /^\d+(?:\.\d+)+$/;

export interface PhoneOptions {
  /** ISO 3166 alpha-2 regions whose national formats count (international `+` numbers always do). */
  regions: readonly string[];
}

export function phoneDetector(options: PhoneOptions): Detector {
  const nanp = options.regions.filter((r) => r === 'US' || r === 'CA') as CountryCode[];
  const trunkRegions = options.regions.filter((r) => r !== 'US' && r !== 'CA') as CountryCode[];

  const isPhone = (candidate: string): boolean => {
    let digits = 0;
    for (let i = 0; i < candidate.length; i++) {
      const c = candidate.charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
    }
    if (digits < 7 || digits > 15) return false;
    if (DATE_LIKE.test(candidate) || DOTTED_NUMBERS.test(candidate) && !NANP_SHAPE.test(candidate)) return false;
    if (candidate[0] === '+') return parsePhoneNumberFromString(candidate)?.isValid() === true;
    const hasSeparator = /[ .\-\/()]/.test(candidate);
    if (!hasSeparator) return false;
    if (candidate.startsWith('0') || candidate.startsWith('(0')) {
      return trunkRegions.some((r) => parsePhoneNumberFromString(candidate, r)?.isValid() === true);
    }
    if (NANP_SHAPE.test(candidate)) return nanp.some((r) => parsePhoneNumberFromString(candidate, r)?.isValid() === true);
    return false;
  };

  // The coarse pass is the scan's shared number runs (shared-scan.ts): a narrow character
  // class V8 scans for quickly. The exact candidate pattern (with its look-behind) then runs
  // only where a run of 7+ phone characters begins.
  const exact = new RegExp(CANDIDATE.source, 'y');
  return {
    type: 'PHONE',
    maxLength: 32,
    find(text, out, shared) {
      // libphonenumber costs ~15-25 µs per call; a number repeated in one text (signatures,
      // quoted replies) is validated once. The memo lives for this call only: no phone number
      // outlives the request in memory.
      let verdicts: Map<string, boolean> | null = null;
      const runs = shared.numberRuns();
      for (let r = 0; r < runs.length; r += 2) {
        exact.lastIndex = runs[r]!;
        const m = exact.exec(text);
        if (m === null) continue;
        const candidate = m[0];
        let valid = false;
        if (candidate.length >= 7) {
          verdicts ??= new Map();
          const known = verdicts.get(candidate);
          valid = known ?? isPhone(candidate);
          if (known === undefined) verdicts.set(candidate, valid);
        }
        if (valid) out.push({ type: 'PHONE', start: m.index, end: m.index + candidate.length });
      }
    },
  };
}
