/**
 * Credentials. Provider tokens have distinctive prefixes, so each regex starts with a literal
 * and V8 skips through text fast; the loose "keyword = value" rule needs an entropy check.
 */
import type { SharedScan } from './shared-scan';
import { anchoredDetector, isAsciiLetterCode, regexDetector, trailingGroupSpan, type Detector, type Span } from './types';
import { jwtHeaderValid, shannonEntropy } from './validators';

const whole = (type: string) => (m: RegExpExecArray): Span => ({ type, start: m.index, end: m.index + m[0].length });

/** PEM private key blocks; also the escaped form inside a GCP service-account JSON (`\n`). */
export const PEM_BEGIN_SOURCE = '-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----';
export const PEM_END_SOURCE = '-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----';

export function privateKeyDetector(): Detector {
  return regexDetector({
    type: 'PRIVATE_KEY',
    regex: new RegExp(`${PEM_BEGIN_SOURCE}[\\s\\S]{0,16384}?${PEM_END_SOURCE}`, 'g'),
    maxLength: 16_500,
    gate: (text) => text.includes('-----BEGIN'),
  });
}

export function providerTokenDetectors(): Detector[] {
  return [
    regexDetector({ type: 'AWS_ACCESS_KEY', regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, maxLength: 20 }),
    regexDetector({
      type: 'AWS_SECRET_KEY',
      regex: /(?:aws_?secret(?:_?access)?_?key|secret_?access_?key)["']?\s*[:=]\s*["']?([A-Za-z0-9\/+]{40})(?![A-Za-z0-9\/+=])/gi,
      maxLength: 40,
      accept: (m) => trailingGroupSpan('AWS_SECRET_KEY', m, 1),
    }),
    regexDetector({ type: 'GCP_API_KEY', regex: /\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])/g, maxLength: 39 }),
    regexDetector({
      type: 'GITHUB_TOKEN',
      regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,240})\b/g,
      maxLength: 255,
    }),
    regexDetector({ type: 'SLACK_TOKEN', regex: /\bxox[abposr]-[0-9A-Za-z\-]{10,250}/g, maxLength: 255 }),
    regexDetector({
      type: 'ANTHROPIC_KEY',
      regex: /\bsk-ant-(?:api|admin|sid|oat)\d{2}-[A-Za-z0-9_\-]{20,200}/g,
      maxLength: 220,
    }),
    regexDetector({
      type: 'OPENAI_KEY',
      regex: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,200}/g,
      maxLength: 210,
      accept(m) {
        const v = m[0];
        // sk-ant-... belongs to Anthropic; kebab-case words (sk-learn-style names) have no digits.
        if (v.startsWith('sk-ant-') || !/\d/.test(v) || !/[A-Za-z]/.test(v.slice(3))) return null;
        return whole('OPENAI_KEY')(m);
      },
    }),
    regexDetector({
      type: 'STRIPE_KEY',
      regex: /\b(?:(?:sk|rk)_(?:live|test)|pk_live)_[0-9A-Za-z]{10,247}\b/g,
      maxLength: 255,
    }),
    regexDetector({
      type: 'JWT',
      regex: /\beyJ[A-Za-z0-9_\-]{6,2048}\.[A-Za-z0-9_\-]{6,8192}\.[A-Za-z0-9_\-]{6,2048}/g,
      maxLength: 255,
      gate: (text) => text.includes('eyJ'),
      accept: (m) => (jwtHeaderValid(m[0].slice(0, m[0].indexOf('.'))) ? whole('JWT')(m) : null),
    }),
    regexDetector({ type: 'NPM_TOKEN', regex: /\bnpm_[A-Za-z0-9]{36}\b/g, maxLength: 40 }),
    regexDetector({ type: 'PYPI_TOKEN', regex: /\bpypi-AgE[A-Za-z0-9_\-]{50,400}/g, maxLength: 410 }),
  ];
}

export const GENERIC_SECRET_SOURCE =
  '(?<![A-Za-z])(password|passwd|pwd|passphrase|passwort|kennwort|secret|client_?secret|api[_\\-]?key|apikey|access[_\\-]?token|auth[_\\-]?token|bearer[_\\-]?token|refresh[_\\-]?token|token|private[_\\-]?key)["\']?\\s*[:=]\\s*["\']?([^\\s"\'`,;]{6,200})';
const WHITESPACE = /\s/;
/** Longest keyword of the generic rule (`refresh_token`, `client_secret`). */
const LONGEST_KEYWORD = 13;
const isKeywordCode = (c: number): boolean => isAsciiLetterCode(c) || c === 95 || c === 45;

/**
 * Where a `keyword = value` match can start. Letters are everywhere in prose, so instead of
 * trying the keyword alternation at each of them, walk back from each ':' and '=': over
 * whitespace, over one optional quote, then over at most 13 keyword characters (letters, '_',
 * '-'); the keyword ends right there and starts after a non-letter. Keyword characters are
 * never separators, so positions come out in ascending order.
 */
export function keywordsBeforeSeparators(text: string, _shared: SharedScan, visit: (position: number) => void): void {
  let colon = text.indexOf(':');
  let equals = text.indexOf('=');
  while (colon !== -1 || equals !== -1) {
    let sep: number;
    if (equals === -1 || (colon !== -1 && colon < equals)) {
      sep = colon;
      colon = text.indexOf(':', colon + 1);
    } else {
      sep = equals;
      equals = text.indexOf('=', equals + 1);
    }
    let end = sep;
    while (end > 0 && WHITESPACE.test(text[end - 1]!)) end--;
    if (end > 0 && (text.charCodeAt(end - 1) === 34 || text.charCodeAt(end - 1) === 39)) end--;
    let start = end;
    while (start > 0 && end - start < LONGEST_KEYWORD && isKeywordCode(text.charCodeAt(start - 1))) start--;
    for (let p = start; p < end; p++) {
      if (p === 0 || !isAsciiLetterCode(text.charCodeAt(p - 1))) visit(p);
    }
  }
}

const PASSWORD_WORDS = /^(?:password|passwd|pwd|pass|passphrase|kennwort|passwort)$/i;
const PLACEHOLDER = /^(?:\*+|x+|\.+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Z_]+%|\$[A-Z_]+|process\.env\.\w+|os\.environ.*|null|none|undefined|true|false|redacted|\[redacted\]|your[_\-]?\w*|example\w*|changeme|placeholder)$/i;

/**
 * `password=...`, `api_key: ...`, `"secret": "..."`. The value must not look like a
 * placeholder and must carry enough entropy: passwords are short and human, so their bar is
 * lower than that of keys and tokens, which are long and random.
 */
export function genericSecretDetector(): Detector {
  return anchoredDetector({
    type: 'GENERIC_SECRET',
    regex: new RegExp(GENERIC_SECRET_SOURCE, 'iy'),
    maxLength: 200,
    candidates: keywordsBeforeSeparators,
    accept(m) {
      const value = m[2]!;
      if (PLACEHOLDER.test(value)) return null;
      const entropy = shannonEntropy(value);
      // Keys mix character classes; a plain word ("production") after api_key: is a name, not a key.
      const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
      const ok = PASSWORD_WORDS.test(m[1]!) ? value.length >= 6 && entropy >= 2.3 : value.length >= 10 && entropy >= 3.0 && classes >= 2;
      return ok ? trailingGroupSpan('GENERIC_SECRET', m, 2) : null;
    },
  });
}
