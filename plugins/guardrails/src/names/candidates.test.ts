import { MAX_CANDIDATE_CHARS, nameCandidates } from './candidates';

const snippets = (text: string): string[] => nameCandidates([text]).map((c) => c.text);

describe('name candidates', () => {
  it('sends a capitalised run with one neighbour word, at the right offset', () => {
    const text = 'hello there, i met John Smith at the office yesterday';
    const [c, ...rest] = nameCandidates([text]);
    expect(rest).toEqual([]);
    expect(c!.text).toBe('met John Smith');
    expect(text.slice(c!.offset, c!.offset + c!.text.length)).toBe(c!.text);
  });

  it('gives a one-word run its right neighbour too, a multi-word run only its left one', () => {
    expect(snippets('she was travelling to Lyon for a conference')).toEqual(['to Lyon for']);
    expect(snippets('she wrote to Okafor Holdings about it')).toEqual(['to Okafor Holdings']);
  });

  it('returns nothing for text without capitals', () => {
    expect(nameCandidates(['all lower case, no names here'])).toEqual([]);
    expect(nameCandidates([''])).toEqual([]);
  });

  it('skips single capitalised words that open a sentence, keeps multi-word runs and mid-sentence capitals', () => {
    expect(snippets('She says the app crashed. Logs mention a reset.\nRetry soon!')).toEqual([]);
    expect(snippets('Jane Doe wrote. then she met Paris at noon')).toEqual(['Jane Doe', 'met Paris at']);
  });

  it('does not take a neighbour from another sentence', () => {
    expect(snippets('please draft a reply. Customer Jane Doe wrote twice')).toEqual(['Customer Jane Doe']);
    expect(snippets('we use Globex. relevant docs follow')).toEqual(['use Globex.']);
  });

  it('keeps an abbreviation like Dr. or Mr. as the left neighbour, and the whole token of the run', () => {
    expect(snippets('a letter for Dr. Sarah Wilson today')).toEqual(['for Dr. Sarah Wilson']);
    expect(snippets('dear Mr. Patel, your refund')).toEqual(['dear Mr. Patel,']);
  });

  it('drops stop words: weekdays, months, pronouns and tech acronyms alone, and at the start of a run', () => {
    expect(snippets('the deploy failed on Monday and again in May, says I')).toEqual([]);
    expect(snippets('the API returns JSON over HTTP')).toEqual([]);
    // "The Berlin" -> "Berlin", which keeps "The" only as its neighbour.
    expect(snippets('so The Berlin office called')).toEqual(['The Berlin office']);
  });

  it('skips words inside URLs, e-mail addresses, paths and code', () => {
    expect(snippets('see https://docs.example.com/Billing/Refunds for more')).toEqual([]);
    expect(snippets('write to Jane.Doe@example.com today')).toEqual([]);
    expect(snippets('open C:\\Users\\Admin\\Desktop then')).toEqual([]);
    expect(snippets('call `Foo` or my_Class or Node.js here')).toEqual([]);
  });

  it('keeps names wrapped in emphasis, quotes or brackets', () => {
    expect(snippets('ask **Jane Doe** now')).toEqual(['ask **Jane Doe**']);
    expect(snippets('the author ("Maria Garcia") said')).toEqual(['author ("Maria Garcia")']);
  });

  it('merges snippets separated only by blanks, not by other text', () => {
    expect(snippets('her colleague Omar Bianchi at Quito confirmed')).toEqual(['colleague Omar Bianchi at Quito confirmed']);
    expect(snippets('with Jane Doe, then Paris too')).toEqual(['with Jane Doe, then Paris too']);
    expect(snippets('with Jane Doe, and then Paris too')).toEqual(['with Jane Doe,', 'then Paris too']);
  });

  it('cuts a very long neighbour word', () => {
    const long = 'x'.repeat(100);
    const [c] = snippets(`a ${long} Jane Doe`);
    expect(c).toBe(`${'x'.repeat(24)} Jane Doe`);
  });

  it('tracks slots and stops at the character budget', () => {
    const out = nameCandidates(['nothing here', 'we met Jane Doe', 'and Omar Bianchi too'], 20);
    expect(out.map((c) => [c.slot, c.text])).toEqual([[1, 'met Jane Doe'], [2, 'and Omar Bianchi']]);
    expect(nameCandidates(['we met Jane Doe', 'and Omar Bianchi too'], 5).map((c) => c.text)).toEqual(['met Jane Doe']);
    expect(MAX_CANDIDATE_CHARS).toBeGreaterThan(2048);
  });
});
