/**
 * The prefilters decide where detectors look. A prefilter that skips a place where the plain
 * pattern would match loses entities silently, so these tests check completeness: every match
 * of the plain global pattern starts at a visited candidate, on seeded random texts built from
 * the characters the prefilters reason about, and on hand-picked edge cases.
 */
import { resolvePolicy } from '../policy/resolve';
import { CARD_SOURCE, cardCandidates, HEX_WALLET_SOURCE, hexWalletCandidates, IPV4_SOURCE, ipv4Candidates, SSN_DASHED_SOURCE, ssnCandidates } from './pii';
import { compileScanner } from './scanner';
import { GENERIC_SECRET_SOURCE, keywordsBeforeSeparators } from './secrets';
import { NUMBER_RUN_SOURCE, sharedScanFactory, type SharedScan } from './shared-scan';
import { anchoredDetector, type Span } from './types';

type Candidates = (text: string, shared: SharedScan, visit: (position: number) => void) => void;

const globalStarts = (source: string, flags: string, text: string): number[] => {
  const regex = new RegExp(source, `g${flags}`);
  const starts: number[] = [];
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) starts.push(m.index);
  return starts;
};
const visited = (candidates: Candidates, text: string): number[] => {
  const out: number[] = [];
  candidates(text, sharedScanFactory()(text), (p) => out.push(p));
  return out;
};

/** Deterministic texts dense in digits, separators, hex, capitals and secret keywords. */
function randomTexts(count: number, seed: number): string[] {
  let state = seed;
  const next = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pieces = [
    '0', '1', '4', '5', '9', ' ', '-', '.', '(', ')', '/', '+', ':', '=', '"', "'", '_', '\n', '\u00a0', 'a', 'x', 'F', 'Z', 'v',
    '0x', '4111', '078', '05', '1120', '192.168', '078-05-1120', '078 05 1120', '10.20.30.40', '0x52908400098527886E0F7030069857D2E4169EE7', 'password', 'API_KEY', 'my_token', 'Secret', 'pwd', ' = ', ': ', 'refresh-token', 'xpassword',
  ];
  return Array.from({ length: count }, () => {
    let text = '';
    const length = 4 + Math.floor(next() * 40);
    for (let i = 0; i < length; i++) text += next() < 0.25 ? String(Math.floor(next() * 1e5)) : pieces[Math.floor(next() * pieces.length)]!;
    return text;
  });
}

describe('prefilter completeness (every plain-pattern match starts at a candidate)', () => {
  const texts = [
    ...randomTexts(3000, 7),
    'card 4111 1111 1111 1111, (4111-1111-1111-1111) and /4111111111111111/ and 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1',
    'ssn 1. 078-05-1120 and v1.078-05-1120 and (078 05 1120)',
    'ips 10-192.168.1.1, 1.2.3.4 and (8.8.8.8) and 1.2.3.4.5',
    'wallet x0x52908400098527886E0F7030069857D2E4169EE7 0x52908400098527886E0F7030069857D2E4169EE7',
    'MY_PASSWORD=hunter2hunter2 "api_key" : "abc123XYZ789" password\u00a0= Tr0ub4dor&3 password=abc:def=ghi123',
    "db_password  'x'= nope token='eyJhbGciOi' xpassword=Tr0ub4dor&3 client_secret\t:\tS3cr3tValue!",
  ];
  it.each<[string, string, string, Candidates]>([
    ['CREDIT_CARD', CARD_SOURCE, '', cardCandidates],
    ['US_SSN', SSN_DASHED_SOURCE, '', ssnCandidates],
    ['IP_ADDRESS', IPV4_SOURCE, '', ipv4Candidates],
    ['CRYPTO_WALLET (0x)', HEX_WALLET_SOURCE, '', hexWalletCandidates],
    ['GENERIC_SECRET', GENERIC_SECRET_SOURCE, 'i', keywordsBeforeSeparators],
  ])('%s', (_type, source, flags, candidates) => {
    let matches = 0;
    for (const text of texts) {
      const starts = globalStarts(source, flags, text);
      matches += starts.length;
      const seen = new Set(visited(candidates, text));
      const missed = starts.filter((s) => !seen.has(s));
      expect({ text, missed }).toEqual({ text, missed: [] });
    }
    // The random texts must actually exercise the pattern, or the test proves nothing.
    expect(matches).toBeGreaterThan(5);
  });

  it('visits candidates in ascending order (the anchored detector relies on it)', () => {
    for (const text of texts.slice(0, 500)) {
      for (const candidates of [cardCandidates, ssnCandidates, ipv4Candidates, hexWalletCandidates, keywordsBeforeSeparators]) {
        const order = visited(candidates, text);
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
    }
  });
});

describe('number runs', () => {
  it('are the phone-shaped runs: digits and separators, digit last, 7+ characters', () => {
    const text = 'call +1 (415) 555-2671, order 12345, v2.3.1 and 1.2.3.4 or 4111 1111 1111 1111.';
    const shared = sharedScanFactory()(text);
    const runs = shared.numberRuns();
    const found: string[] = [];
    for (let r = 0; r < runs.length; r += 2) found.push(text.slice(runs[r], runs[r + 1]));
    expect(found).toEqual(['+1 (415) 555-2671', '1.2.3.4', '4111 1111 1111 1111']);
    expect(shared.longestNumberRun()).toBe(19);
    expect(new RegExp(NUMBER_RUN_SOURCE).test('123456')).toBe(false);
  });

  it('are empty for text without digits, and computed once per scan', () => {
    const shared = sharedScanFactory()('no digits here at all');
    expect(shared.numberRuns()).toEqual([]);
    expect(shared.longestNumberRun()).toBe(0);
    expect(shared.numberRuns()).toBe(shared.numberRuns());
  });
});

describe('anchoredDetector', () => {
  it('resumes after a rejected match, as a global scan does', () => {
    // Candidates at every position; the regex matches "ab" and the validator rejects the first.
    let calls = 0;
    const detector = anchoredDetector({
      type: 'T',
      regex: /a+b/y,
      maxLength: 10,
      candidates: (text, _shared, visit) => {
        for (let i = 0; i < text.length; i++) visit(i);
      },
      accept: (m): Span | null => (calls++ === 0 ? null : { type: 'T', start: m.index, end: m.index + m[0].length }),
    });
    const out: Span[] = [];
    const text = 'aab aab';
    detector.find(text, out, sharedScanFactory()(text));
    // A global /a+b/g finds "aab" at 0 (rejected) and "aab" at 4: never "ab" at 1.
    expect(out).toEqual([{ type: 'T', start: 4, end: 7 }]);
    expect(calls).toBe(2);
  });

  it('refuses a regex without the sticky flag', () => {
    expect(() => anchoredDetector({ type: 'T', regex: /a/g, maxLength: 1, candidates: () => undefined })).toThrow(/y flag/);
  });
});

describe('scanner with prefilters: places they must not skip', () => {
  const scanner = compileScanner(resolvePolicy([{ preset: 'strict' }]));
  const found = (text: string): string[][] => scanner.scan(text).map((s) => [s.type, text.slice(s.start, s.end)]);

  it.each([
    ['card in parentheses (4111 1111 1111 1111)', 'CREDIT_CARD', '4111 1111 1111 1111'],
    ['card after a slash inside a number run 2024/4111111111111111', 'CREDIT_CARD', '4111111111111111'],
    ['ssn after a list number 1. 078-05-1120', 'US_SSN', '078-05-1120'],
    ['ssn inside a dotted run v1.078-05-1120', 'US_SSN', '078-05-1120'],
    ['ip after a dash rack-10-192.168.1.20 down', 'IP_ADDRESS', '192.168.1.20'],
    ['ssn keyword with nine digits: SSN 078051120', 'US_SSN', '078051120'],
    ['env MY_PASSWORD=hunter2hunter2', 'GENERIC_SECRET', 'hunter2hunter2'],
    ['json {"api_key" : "abc123XYZ789qq"}', 'GENERIC_SECRET', 'abc123XYZ789qq'],
    ['no-break space password\u00a0= Tr0ub4dor&3', 'GENERIC_SECRET', 'Tr0ub4dor&3'],
    ['upper case TOKEN: AbC123dEf456gh', 'GENERIC_SECRET', 'AbC123dEf456gh'],
    ['the same phone twice: +1 415-555-2671 and +1 415-555-2671', 'PHONE', '+1 415-555-2671'],
  ])('%s', (text, type, value) => {
    expect(found(text)).toContainEqual([type, value]);
  });

  it('reports a repeated phone number at each place it appears', () => {
    const text = 'call +1 415-555-2671, again +1 415-555-2671, or (212) 555-0199';
    expect(found(text).filter(([type]) => type === 'PHONE')).toEqual([
      ['PHONE', '+1 415-555-2671'],
      ['PHONE', '+1 415-555-2671'],
      ['PHONE', '(212) 555-0199'],
    ]);
  });

  it.each(['password is required', 'apassword=Tr0ub4dor&3xyz', 'order 1234 5678 9012', 'v1.2.3.4 released'])('finds nothing in %s', (text) => {
    expect(found(text)).toEqual([]);
  });
});
