import { randomText, seededRandom } from './__fixtures__/corpus';
import { BpeCounter, countByHeap } from './bpe';
import { o200kRankTable } from './o200k-ranks';

describe('BPE merge', () => {
  const table = o200kRankTable();
  const scan = new BpeCounter();
  const encoder = new TextEncoder();

  it('counts the same with the heap as with the scan (random UTF-8 and random bytes up to 128)', () => {
    const random = seededRandom(99);
    const differing: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const bytes =
        i % 3 === 0
          ? Uint8Array.from({ length: 1 + Math.floor(random() * 128) }, () => Math.floor(random() * 256))
          : encoder.encode(randomText(random, 40)).subarray(0, 128);
      if (bytes.length === 0) continue;
      if (scan.count(table, bytes, bytes.length) !== countByHeap(table, bytes, bytes.length)) differing.push(Buffer.from(bytes).toString('hex'));
    }
    expect(differing).toEqual([]);
  });
});
