import bpeRanks from 'gpt-tokenizer/cjs/bpeRanks/o200k_base';
import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/cjs/encodingParams/constants';
import { buildO200kRankTable, o200kRankTable } from './o200k-ranks';
import { O200K_PIECE_PATTERN } from './pre-tokenizer';
import { NOT_ASCII } from './rank-table';
import { parseTiktoken } from './tiktoken-file';

const encoder = new TextEncoder();
const bytesOf = (value: string | readonly number[]): Uint8Array => (typeof value === 'string' ? encoder.encode(value) : Uint8Array.from(value));

describe('o200k rank table', () => {
  const table = o200kRankTable();

  it('holds exactly the ranks of gpt-tokenizer\'s o200k_base module', () => {
    expect(table.size).toBe(bpeRanks.length);
    const wrong: number[] = [];
    bpeRanks.forEach((value, rank) => {
      const bytes = bytesOf(value);
      if (table.rankOf(bytes, 0, bytes.length) !== rank || !Buffer.from(table.tokenBytes(rank)).equals(bytes)) wrong.push(rank);
    });
    expect(wrong).toEqual([]);
  });

  it('misses byte strings that are not tokens', () => {
    const miss = (text: string): number => table.rankOf(encoder.encode(text), 0, encoder.encode(text).length);
    expect(miss('')).toBe(-1);
    expect(miss('zzqxjvk')).toBe(-1);
    expect(miss('x'.repeat(200))).toBe(-1);
  });

  it('looks ASCII text up from the string as from its bytes', () => {
    for (const text of ['hello', ' world', 'zzqxjvk', '{"', ' '.repeat(16), 'a'.repeat(129)]) {
      expect(table.rankOfAscii(`<${text}>`, 1, text.length + 1)).toBe(table.rankOf(encoder.encode(text), 0, text.length));
    }
    expect(table.rankOfAscii('café', 0, 4)).toBe(NOT_ASCII);
  });

  it('is built once and shared (read-only data)', () => {
    expect(o200kRankTable()).toBe(table);
    expect(buildO200kRankTable()).not.toBe(table);
  });

  it('uses gpt-tokenizer\'s o200k pre-tokenizer pattern', () => {
    expect(O200K_PIECE_PATTERN).toBe(O200K_TOKEN_SPLIT_REGEX.source);
  });
});

describe('parseTiktoken', () => {
  const file = (text: string): Uint8Array => encoder.encode(text);

  it('decodes base64 tokens into concatenated bytes and offsets', () => {
    const { bytes, offsets } = parseTiktoken(file('IQ== 0\naGVsbG8= 1\r\nIGFiYw== 2'));
    expect(Buffer.from(bytes).toString('latin1')).toBe('!hello abc');
    expect([...offsets]).toEqual([0, 1, 6, 10]);
  });

  it('rejects ranks out of order, bad base64 and empty tokens', () => {
    expect(() => parseTiktoken(file('IQ== 1\n'))).toThrow(/rank 1, expected 0/);
    expect(() => parseTiktoken(file('I!== 0\n'))).toThrow(/bad base64/);
    expect(() => parseTiktoken(file(' 0\n'))).toThrow(/empty/);
  });
});
