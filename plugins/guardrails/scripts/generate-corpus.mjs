#!/usr/bin/env node
/**
 * Writes src/__fixtures__/corpus/generated.json: a labelled corpus of texts with entities in
 * varied contexts and of clean texts that look risky. Deterministic (seeded PRNG): running it
 * again produces the same file, so the committed corpus can be regenerated and diffed.
 *
 *   node plugins/guardrails/scripts/generate-corpus.mjs
 *
 * Labels are ground truth built from how the values were generated (checksums computed here,
 * independently of the detectors), never from running the detectors.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', '__fixtures__', 'corpus', 'generated.json');

// mulberry32: tiny, seedable, good enough for test data.
let seed = 0x5eed1234;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (xs) => xs[int(0, xs.length - 1)];
const chars = (alphabet, n) => Array.from({ length: n }, () => pick(alphabet)).join('');
const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const B64 = ALNUM + '+/';
const B64URL = ALNUM + '-_';
const digits = (n) => chars(DIGITS, n);

const FIRST = ['jane', 'john', 'maria', 'li', 'ahmed', 'olga', 'pierre', 'sofia', 'kenji', 'amara'];
const LAST = ['doe', 'smith', 'garcia', 'wang', 'khan', 'ivanova', 'martin', 'rossi', 'tanaka', 'okafor'];
const DOMAINS = ['example.com', 'mail.example.org', 'corp.example.co.uk', 'example.de', 'uni-example.edu'];

// ---------------------------------------------------------------- value generators

function luhnCheckDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
function card() {
  const [prefix, len] = pick([['4', 16], ['51', 16], ['55', 16], ['2221', 16], ['34', 15], ['37', 15], ['6011', 16]]);
  const body = prefix + digits(len - prefix.length - 1);
  const number = body + luhnCheckDigit(body);
  const sep = pick(['', ' ', '-']);
  if (sep === '') return number;
  const groups = len === 15 ? [4, 6, 5] : [4, 4, 4, 4];
  let i = 0;
  return groups.map((g) => number.slice(i, (i += g))).join(sep);
}
function badLuhnCard() {
  const body = '4' + digits(14);
  const good = luhnCheckDigit(body);
  return body + String((Number(good) + int(1, 9)) % 10);
}
function mod97(str) {
  let r = 0;
  for (const ch of str) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) r = (r * 10 + Number(d)) % 97;
  }
  return r;
}
function iban() {
  const [cc, bban] = pick([
    ['DE', () => digits(18)],
    ['GB', () => chars(UPPER, 4) + digits(14)],
    ['FR', () => digits(23)],
    ['NL', () => chars(UPPER, 4) + digits(10)],
    ['ES', () => digits(20)],
  ]);
  const b = bban();
  const check = String(98 - mod97(b + cc + '00')).padStart(2, '0');
  const compact = cc + check + b;
  return rand() < 0.5 ? compact : compact.replace(/(.{4})/g, '$1 ').trim();
}
function ssn() {
  let area;
  do area = int(1, 899); while (area === 666);
  return `${String(area).padStart(3, '0')}-${String(int(1, 99)).padStart(2, '0')}-${String(int(1, 9999)).padStart(4, '0')}`;
}
const US_AREAS = ['212', '415', '312', '617', '206', '303', '404', '512', '702', '818', '646', '713'];
function phone() {
  const ex = String(int(2, 9)) + digits(2);
  const line = digits(4);
  return pick([
    () => `(${pick(US_AREAS)}) ${ex}-${line}`,
    () => `${pick(US_AREAS)}-${ex}-${line}`,
    () => `+1 ${pick(US_AREAS)} ${ex} ${line}`,
    () => `+1-${pick(US_AREAS)}-${ex}-${line}`,
    () => `+44 20 7946 ${digits(4)}`,
    () => `+49 30 ${digits(8)}`,
    () => `030 ${digits(8)}`,
    () => `+49 171 ${digits(7)}`,
    () => `+33 1 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`,
    () => `020 7946 ${digits(4)}`,
  ])();
}
const email = () => `${pick(FIRST)}${pick(['.', '_', ''])}${pick(LAST)}${rand() < 0.3 ? digits(2) : ''}@${pick(DOMAINS)}`;
const ipv4 = () => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
const ipv6 = () =>
  rand() < 0.5
    ? Array.from({ length: 8 }, () => chars(HEX, int(1, 4))).join(':')
    : `2001:db8:${chars(HEX, 4)}::${chars(HEX, 3)}:${int(1, 9)}`;
const mac = () => Array.from({ length: 6 }, () => chars('0123456789ABCDEF', 2)).join(pick([':', '-']));
const MONTHS = ['January', 'March', 'July', 'Sept', 'Oct', 'December'];
function dobDate() {
  const y = int(1940, 2010), m = int(1, 12), d = int(1, 28);
  return pick([
    () => `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}/${y}`,
    () => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    () => `${pick(MONTHS)} ${d}, ${y}`,
    () => `${d} ${pick(MONTHS)} ${y}`,
    () => `${String(d).padStart(2, '0')}.${String(m).padStart(2, '0')}.${y}`,
  ])();
}
const passport = () => pick([() => pick(UPPER) + digits(8), () => digits(9), () => chars(UPPER, 2) + digits(7)])();
const nino = () => `${pick('ABCEHJKLMPRSTWXYZ'.split(''))}${pick('ABCEHJKLMNPRSTWXYZ'.split(''))}${digits(6)}${pick(['A', 'B', 'C', 'D'])}`;
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58check(version) {
  const payload = Buffer.concat([Buffer.from([version]), Buffer.from(Array.from({ length: 20 }, () => int(0, 255)))]);
  const checksum = createHash('sha256').update(createHash('sha256').update(payload).digest()).digest().subarray(0, 4);
  const bytes = Buffer.concat([payload, checksum]);
  let n = BigInt('0x' + bytes.toString('hex'));
  let out = '';
  while (n > 0n) { out = BASE58[Number(n % 58n)] + out; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; out = '1' + out; }
  return out;
}
const wallet = () => pick([() => '0x' + chars(HEX + 'ABCDEF', 40), () => base58check(0), () => base58check(5)])();
const urlCreds = () => `${pick(['postgres', 'mysql', 'https', 'redis', 'mongodb'])}://${pick(FIRST)}:${chars(ALNUM, int(8, 16))}@${pick(['db.internal', 'cache.example.com', '10.0.0.5'])}`;
const b64url = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
const jwt = () => `${b64url({ alg: pick(['HS256', 'RS256']), typ: 'JWT' })}.${b64url({ sub: digits(6), name: pick(FIRST), iat: int(1600000000, 1700000000) })}.${chars(B64URL, 43)}`;
const pem = () => `-----BEGIN ${pick(['RSA ', 'EC ', ''])}PRIVATE KEY-----\n${Array.from({ length: int(3, 6) }, () => chars(B64, 64)).join('\n')}\n-----END PRIVATE KEY-----`.replace(/END PRIVATE/, (m) => m);

const SECRET_VALUES = {
  AWS_ACCESS_KEY: () => pick(['AKIA', 'ASIA']) + chars(UPPER + '234567', 16),
  GCP_API_KEY: () => 'AIza' + chars(ALNUM + '-_', 35),
  GITHUB_TOKEN: () => pick(['ghp_', 'gho_', 'ghs_', 'ghu_']) + chars(ALNUM, 36),
  SLACK_TOKEN: () => `${pick(['xoxb', 'xoxp', 'xoxa'])}-${digits(12)}-${digits(12)}-${chars(ALNUM, 24)}`,
  OPENAI_KEY: () => pick(['sk-proj-', 'sk-']) + chars(ALNUM, 20) + 'T3BlbkFJ' + chars(ALNUM, 20),
  ANTHROPIC_KEY: () => `sk-ant-api03-${chars(ALNUM + '-_', 93)}AA`,
  STRIPE_KEY: () => pick(['sk_live_', 'rk_live_', 'pk_live_']) + chars(ALNUM, 24),
  JWT: jwt,
  NPM_TOKEN: () => 'npm_' + chars(ALNUM, 36),
  PYPI_TOKEN: () => 'pypi-AgEIcHlwaS5vcmc' + chars(B64URL, 70),
};

// ---------------------------------------------------------------- contexts

const PROSE = [
  'Please contact me at {X} for details.',
  'Here is the value you asked for: {X}',
  '{X}',
  'Can you check {X} and tell me if it looks right?',
  'The customer wrote: "my details are {X}, thanks".',
  '- item: `{X}`\n- status: pending',
  '{"value": "{X}", "ok": true}',
  'Note to self ({X}) — follow up tomorrow.',
  'Ticket #4821: user reports problem; reference {X}.\nPlease escalate.',
];
const byType = {
  EMAIL: [email, PROSE],
  PHONE: [phone, [...PROSE, 'Call me on {X} after 5pm.', 'Tel: {X}']],
  CREDIT_CARD: [card, [...PROSE, 'Charge card {X} for the order.', 'cc={X}']],
  IBAN: [iban, [...PROSE, 'Wire the money to IBAN {X} please.']],
  US_SSN: [ssn, [...PROSE, 'SSN: {X}']],
  IP_ADDRESS: [() => (rand() < 0.6 ? ipv4() : ipv6()), [...PROSE, 'Connection refused from {X} at 10:31.', 'ssh root@{X}']],
  MAC_ADDRESS: [mac, [...PROSE, 'The device MAC is {X}.']],
  DATE_OF_BIRTH: [dobDate, ['I was born on {X} in a small town.', 'DOB: {X}', 'Patient date of birth {X}, admitted today.', 'Her birthday is {X}.', '{"name":"x","dob":"{X}"}']],
  PASSPORT: [passport, ['Passport number: {X}', 'My passport no. {X} expires soon.', 'passport #{X}']],
  NATIONAL_ID: [nino, ['NI number {X}', 'National insurance: {X}.', '{X}']],
  CRYPTO_WALLET: [wallet, [...PROSE, 'Send 0.5 to {X} when ready.']],
  URL_CREDENTIALS: [urlCreds, ['DATABASE_URL={X}/app', 'Connect with {X}:5432/db and run the migration.', '{X}']],
  AWS_SECRET_KEY: [() => chars(B64.replace('+', ''), 40), ['aws_secret_access_key = {X}', 'AWS_SECRET_ACCESS_KEY="{X}"', '{"SecretAccessKey": "{X}"}'.replace('SecretAccessKey', 'secret_access_key')]],
  PRIVATE_KEY: [pem, ['Here is the key:\n{X}\nkeep it safe', '{X}']],
  GENERIC_SECRET: [() => chars(ALNUM + '!@#%^&*', int(10, 24)), ['password={X}', 'api_key: {X}', 'DB_PASSWORD="{X}"', '{"client_secret": "{X}"}', 'export AUTH_TOKEN={X}']],
};
for (const [type, gen] of Object.entries(SECRET_VALUES)) byType[type] = [gen, [...PROSE, 'export TOKEN_VALUE={X}'.replace('TOKEN_VALUE', 'MY_VAR'), 'Authorization: Bearer {X}']];

const CLEAN = [
  () => `Your order ${digits(12)} has shipped.`,
  () => `Invoice INV-${int(2019, 2025)}-${digits(6)} is due.`,
  () => `Upgraded from v${int(1, 9)}.${int(0, 20)}.${int(0, 9)} to version ${int(1, 9)}.${int(0, 9)}.${int(0, 9)}.${int(0, 9)}.`,
  () => `Build started at ${int(2019, 2025)}-0${int(1, 9)}-1${int(0, 9)}T1${int(0, 9)}:${int(10, 59)}:${int(10, 59)}Z`,
  () => `Request id ${chars(HEX, 8)}-${chars(HEX, 4)}-4${chars(HEX, 3)}-a${chars(HEX, 3)}-${chars(HEX, 12)} failed.`,
  () => `Card number ${badLuhnCard()} was rejected as invalid.`,
  () => `Commit ${chars(HEX, 40)} fixed it.`,
  () => `Total: $${int(1, 999)},${digits(3)}.${digits(2)} (${int(1, 99)}% off)`,
  () => `The meeting is at ${int(10, 12)}:${int(10, 59)}:${int(10, 59)} in room ${digits(3)}.`,
  () => `ISBN 978-${digits(1)}-${digits(3)}-${digits(5)}-${digits(1)}`,
  () => `Color #${chars(HEX, 6)} and rgba(0, 0, 0, 0.${digits(1)})`,
  () => `We use sk-learn and scikit-learn pipelines in project-${digits(3)}.`,
  () => `The password is required and must be at least ${int(8, 16)} characters.`,
  () => `Set api_key: <YOUR_API_KEY> in the config file.`,
  () => `password=********`,
  () => `Start the server on localhost:${int(3000, 9000)} and open http://localhost:${int(3000, 9000)}/docs`,
  () => `The event happened on ${int(1, 28)} March ${int(1990, 2024)}.`,
  () => `Population grew to ${int(1, 9)},${digits(3)},${digits(3)} in ${int(1990, 2024)}.`,
  () => `Call extension ${digits(4)} or dial 0 for the operator.`,
  () => `Tracking: 1Z${chars(UPPER + DIGITS, 16)}`,
  () => `See section 4.2.1 and table 3.1.4 for values 12.5 and 7.25.`,
  () => `Hash sha256:${chars(HEX, 64)}`,
  () => `Ignore the warning about previous versions; it is harmless.`,
  () => `Matrix dims 1024x768, batch 32, lr 0.001, seed ${digits(6)}.`,
  () => `Use std::vector and a::b::c in C++ code; time 12:30:45.`,
  () => `My token count is ${int(100, 9999)} and max_tokens=${int(100, 4096)}.`,
  () => `Reach us via the contact form at example.com/contact.`,
  () => `ZIP ${digits(5)}-${digits(4)}, PO Box ${digits(4)}`,
];

// ---------------------------------------------------------------- assemble

const samples = [];
for (const [type, [gen, contexts]] of Object.entries(byType)) {
  const n = type === 'PRIVATE_KEY' ? 8 : 16;
  for (let i = 0; i < n; i++) {
    const value = gen();
    const template = contexts[i % contexts.length];
    const start = template.indexOf('{X}');
    const text = template.replace('{X}', value);
    samples.push({ id: `${type.toLowerCase()}-${i}`, text, entities: [{ type, start, end: start + value.length }] });
  }
}
for (let i = 0; i < CLEAN.length * 4; i++) samples.push({ id: `clean-${i}`, text: CLEAN[i % CLEAN.length](), entities: [] });

// Mixed samples: two entities of different types in one text.
const mixTypes = ['EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN', 'AWS_ACCESS_KEY', 'GITHUB_TOKEN', 'JWT'];
for (let i = 0; i < 24; i++) {
  const a = mixTypes[i % mixTypes.length];
  const b = mixTypes[(i * 3 + 1) % mixTypes.length];
  const va = byType[a][0](), vb = byType[b][0]();
  const head = 'First ';
  const mid = ' and then ';
  const text = `${head}${va}${mid}${vb} end.`;
  samples.push({
    id: `mixed-${i}`,
    text,
    entities: [
      { type: a, start: head.length, end: head.length + va.length },
      { type: b, start: head.length + va.length + mid.length, end: head.length + va.length + mid.length + vb.length },
    ],
  });
}

writeFileSync(OUT, JSON.stringify(samples, null, 1) + '\n');
console.log(`wrote ${samples.length} samples to ${OUT}`);
