/**
 * Fixed texts for the tokenizer equivalence test: each stresses a different part of the
 * pre-tokenizer regex or of BPE. Plus a seeded generator of random Unicode strings.
 */

export const CORPUS: Readonly<Record<string, string>> = {
  prose:
    'The quick brown fox jumps over the lazy dog. Rate limits protect upstream providers from bursts; ' +
    'each request reserves an estimate of its input tokens, reconciled once the provider reports usage.\n\n' +
    'Mr. O\'Neil (née Smith) paid $1,234.56 on 2024-03-14 at 10:42:17 — roughly 3.5% more than last year…',
  contractions:
    "it's IT'S It'S they'll THEY'LL they'Ll we're WE'RE we'Re I've I'VE you'd YOU'D I'm I'M don't DON'T " +
    "'s 'S 'll 'LL 't 'x o'clock rock'n'roll can’t won’t ''s '''ll X's x'S Straße's naïve's " +
    "l'homme d'accord qu'il 'Tis 'twas 'twasn't",
  typescript:
    "import { readFileSync } from 'node:fs';\n\nexport async function load<T extends object>(path: string): Promise<T> {\n" +
    "  const raw = readFileSync(path, 'utf8');\r\n  return JSON.parse(raw) as T; // ok\n}\n\nclass LRU<K, V> extends Map<K, V> {\n" +
    '  #max = 100;\n  override set(k: K, v: V): this { if (this.size >= this.#max) this.delete(this.keys().next().value!); return super.set(k, v); }\n}\n',
  python:
    'def fib(n: int) -> int:\n    """Return the n-th Fibonacci number."""\n    a, b = 0, 1\n    for _ in range(n):\n' +
    '        a, b = b, a + b\n    return a\n\n\nif __name__ == "__main__":\n\tprint(f"{fib(30)=}")  # 832040\n',
  rust: 'fn main() {\n    let v: Vec<u32> = (0..10).map(|x| x * x).collect();\n    println!("{:?} {}", v, v.iter().sum::<u32>());\n}\n',
  go: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tch := make(chan int, 3)\n\tgo func() { ch <- 42 }()\n\tfmt.Println(<-ch)\n}\n',
  c: '#include <stdio.h>\nint main(void) {\n  for (int i = 0; i < 10; ++i) printf("%d\\n", i << 2);\n  return 0; /* done */\n}\n',
  sql: "SELECT u.id, COUNT(*) AS n FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.created_at >= NOW() - INTERVAL '7 days' GROUP BY 1 HAVING n > 2;",
  shell: '#!/usr/bin/env bash\nset -euo pipefail\nfor f in ./src/**/*.ts; do wc -l "$f" | awk \'{s+=$1} END {print s}\'; done 2>/dev/null || true\n',
  html: '<!DOCTYPE html>\n<html lang="en"><head><style>.a > b:hover { color: #ff00aa; margin: 0 auto; }</style></head>\n<body><p class="x">Hi&nbsp;there &amp; bye</p></body></html>',
  json: JSON.stringify(
    {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Hello, world! \u00e9\u00e8 \u4f60\u597d' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      n: 1,
      temperature: 0.7,
      nested: [[1, 2, [3, { deep: null, ok: true }]]],
    },
    null,
    2,
  ),
  chinese: '人工智能是计算机科学的一个分支，它企图了解智能的实质，并生产出一种新的能以人类智能相似的方式做出反应的智能机器。',
  japanese: '吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。カタカナ、ひらがな、漢字の混在テキスト。ｶﾀｶﾅ',
  korean: '대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, 모든 권력은 국민으로부터 나온다.',
  arabic: 'مرحبا بالعالم! هذه جملة عربية مع أرقام ١٢٣٤٥ و 12345، وعلامات التشكيل: بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ',
  hebrew: 'שָׁלוֹם עוֹלָם! זהו משפט בעברית עם ניקוד ומספרים 2024. "ציטוט" (סוגריים)',
  mixedScripts: 'Ελληνικά Кириллица हिन्दी देवनागरी ภาษาไทย ქართული Հայերեն Tiếng Việt có dấu Ἀθῆναι',
  emoji:
    '👍 👍🏻 👍🏽 👍🏿 👩‍👩‍👧‍👦 👨🏽‍💻 🏳️‍🌈 🇫🇷🇯🇵 ❤️ ❤︎ 1️⃣ #️⃣ 🧑‍🤝‍🧑 😀😃😄😁 ☕️🍵 🫠🫡 🏴󠁧󠁢󠁳󠁣󠁴󠁿 text👍text',
  combiningMarks:
    'e\u0301 a\u0300\u0301\u0302 Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u0336\u0317 ' +
    '\u0301\u0301 x\u20dd \u0915\u094d\u0937 \u0e01\u0e34\u0e48 caf\u00e9 cafe\u0301',
  whitespace:
    'a  b   c\t\td \t \te\n\nf\r\ng\r\rh\n\r\ni   \n   j\u00a0\u00a0k\u2003l\u3000m\u2028n\u2029o\u200bp \n\t\r\n   \r\n\r\n    q\n\n\n\n' +
    '     \n\t\t\t\n        \f\v\u0085 ',
  digits: '0 12 345 6789 1234567890123456789012345678901234567890 3.14159265358979 1e-10 0xDEADBEEF ١٢٣٤٥٦٧ ０１２３ ⅫⅣ ²³ 12,345,678',
  urls:
    'See https://docs.example.com/billing/refunds?id=42&lang=en#duplicate-charges or http://192.168.0.1:8080/a/b/c/ ' +
    'and mailto:jane.doe+tag@example.co.uk, ftp://files.example.org/pub/~user/file%20name.tar.gz',
  base64:
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg== ' +
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  specialTokens: '<|endoftext|> <|im_start|>user\nhi<|im_end|><|im_sep|> <|fim_prefix|><|fim_middle|><|fim_suffix|><|endofprompt|> <|start|><|channel|>',
  byteOrderMark: '\ufeff \ufeffusing System; \ufeff\ufeff a\ufeff \ufeff\n\ufeff// x \ufeff#!',
  loneSurrogates: 'a\ud800b \udc00 \ud83d x\ude00 \ud83d\ude00 \udbff\udfff \ud800\ud800',
  controls: '\u0000\u0001\u0007\u001b[31mred\u001b[0m \u007f \u0080\u009f \ufffd\ufffe\uffff',
  punctuation: '!!! ??? ... --- === *** /// \\\\ ||| &&& @@ ## $$ %% ^^ ~~ `` "" \'\' ;; :: ,, .. <<>> ((())) [[]] {{}} «» „“ ‘’ — – ·•',
  longRuns: `${'a'.repeat(300)} ${'='.repeat(300)} ${' '.repeat(300)}x ${'ab'.repeat(200)} ${'中'.repeat(200)} ${'😀'.repeat(60)} ${'9'.repeat(301)}`,
};

/** Deterministic PRNG (mulberry32): the same cases on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Code point ranges random strings draw from, weighted towards what real prompts contain. */
const RANGES: readonly (readonly [weight: number, from: number, to: number])[] = [
  [20, 0x61, 0x7a], // a-z
  [8, 0x41, 0x5a], // A-Z
  [6, 0x30, 0x39], // 0-9
  [10, 0x20, 0x20], // space
  [4, 0x09, 0x0d], // \t \n \v \f \r
  [8, 0x21, 0x2f], // punctuation
  [3, 0x3a, 0x40],
  [3, 0x5b, 0x60],
  [2, 0x7b, 0x7e],
  [3, 0x27, 0x27], // apostrophe (contractions)
  [1, 0x00, 0x1f], // controls
  [3, 0xa0, 0xff], // Latin-1
  [2, 0x100, 0x24f], // Latin Extended
  [3, 0x300, 0x36f], // combining marks
  [2, 0x370, 0x3ff], // Greek
  [2, 0x400, 0x4ff], // Cyrillic
  [2, 0x590, 0x5ff], // Hebrew
  [3, 0x600, 0x6ff], // Arabic (incl. Arabic-Indic digits)
  [2, 0x900, 0x97f], // Devanagari
  [1, 0xe00, 0xe7f], // Thai
  [1, 0x1e00, 0x1eff], // Latin Extended Additional
  [2, 0x2000, 0x206f], // general punctuation, special spaces, ZWJ
  [1, 0x2150, 0x218f], // number forms
  [1, 0x2600, 0x27bf], // symbols, dingbats
  [1, 0x3000, 0x303f], // CJK punctuation, ideographic space
  [2, 0x3040, 0x30ff], // kana
  [4, 0x4e00, 0x9fff], // CJK
  [2, 0xac00, 0xd7a3], // Hangul
  [1, 0xfe00, 0xfe0f], // variation selectors
  [1, 0xfeff, 0xfeff], // byte order mark
  [1, 0xff00, 0xffef], // full-width forms
  [1, 0xd800, 0xdfff], // lone surrogates
  [3, 0x1f300, 0x1faff], // emoji
  [1, 0x1f3fb, 0x1f3ff], // skin tones
  [1, 0x20000, 0x2a6df], // CJK Extension B
  [1, 0xe0020, 0xe007f], // tag characters
];
const TOTAL_WEIGHT = RANGES.reduce((sum, [weight]) => sum + weight, 0);

/** A random string of up to maxLength code points; sometimes a run repeating one code point. */
export function randomText(random: () => number, maxLength: number): string {
  const length = Math.floor(random() * (maxLength + 1));
  let out = '';
  while (out.length < length) {
    let pick = random() * TOTAL_WEIGHT;
    let range = RANGES[0]!;
    for (const candidate of RANGES) {
      range = candidate;
      pick -= candidate[0];
      if (pick < 0) break;
    }
    const codePoint = range[1] + Math.floor(random() * (range[2] - range[1] + 1));
    const char = codePoint >= 0xd800 && codePoint <= 0xdfff ? String.fromCharCode(codePoint) : String.fromCodePoint(codePoint);
    out += random() < 0.03 ? char.repeat(1 + Math.floor(random() * 40)) : char;
  }
  return out;
}
