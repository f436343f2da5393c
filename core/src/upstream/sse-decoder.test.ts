import { createSseDecoder } from './sse-decoder';

const enc = new TextEncoder();
const decodeAll = (chunks: string[] | Uint8Array[]) => {
  const d = createSseDecoder();
  const out = chunks.flatMap((c) => d.push(typeof c === 'string' ? enc.encode(c) : c));
  return [...out, ...d.end()];
};

describe('createSseDecoder', () => {
  it('parses data, event and id fields, one event per blank line', () => {
    expect(decodeAll(['event: ping\ndata: {"a":1}\nid: 7\n\ndata: two\n\n'])).toEqual([
      { kind: 'sse', event: 'ping', data: '{"a":1}', id: '7' },
      { kind: 'sse', data: 'two', id: '7' },
    ]);
  });

  it('joins multi-line data with newlines and ignores comments and unknown fields', () => {
    expect(decodeAll([': keep-alive\ndata: a\ndata: b\nretry: 10\nfoo: bar\n\n'])).toEqual([{ kind: 'sse', data: 'a\nb' }]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('handles %s line endings, even split between chunks', (_name, eol) => {
    const text = `data: one${eol}${eol}data: two${eol}${eol}`;
    const whole = decodeAll([text]);
    expect(whole.map((e) => e.kind === 'sse' && e.data)).toEqual(['one', 'two']);
    for (let cut = 1; cut < text.length; cut++) expect(decodeAll([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const bytes = enc.encode('data: héllo 👋\n\n');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(decodeAll([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ kind: 'sse', data: 'héllo 👋' }]);
    }
  });

  it('flushes a final event that has no trailing blank line at end()', () => {
    expect(decodeAll(['data: [DONE]'])).toEqual([{ kind: 'sse', data: '[DONE]' }]);
  });

  it('strips exactly one space after the colon', () => {
    expect(decodeAll(['data:  two spaces\ndata:none\n\n'])).toEqual([{ kind: 'sse', data: ' two spaces\nnone' }]);
  });

  it('handles line endings mixed within one stream, split anywhere', () => {
    const text = 'data: a\r\n\ndata: b\r\rdata: c\n\r\ndata: d\ndata: e\r\n\r\n';
    const whole = decodeAll([text]);
    expect(whole.map((e) => e.kind === 'sse' && e.data)).toEqual(['a', 'b', 'c', 'd\ne']);
    for (let cut = 1; cut < text.length; cut++) expect(decodeAll([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  });
});
