import { fasterBulkMatch, type BulkMatch } from './fast-sweep';
import { CostModel, InlineNamesTagger, loadPrivateCompromise } from './inline-tagger';
import { directPostTagger, type PostTaggerWorld } from './post-tagger';
import { tagNameSnippets, type Tagger } from './tag-snippets';

const compromisePath = require.resolve('compromise/two');
const ALL = ['PERSON', 'LOCATION', 'ORGANIZATION'];
const snippets = ['we met John Smith yesterday', 'a flight to Paris tomorrow', 'with Acme Corp.', 'nothing here at all'];

/** The worker's tagger: its own compromise with the same two methods installed. */
const workerTagger = (): Tagger => {
  let nlp: (Tagger & { plugin(p: unknown): void; methods(): { one: { bulkMatch: BulkMatch } }; world(): PostTaggerWorld }) | undefined;
  jest.isolateModules(() => {
    nlp = require('compromise/two');
  });
  nlp!.plugin({ methods: { one: { bulkMatch: fasterBulkMatch(nlp!.methods().one.bulkMatch) } } });
  nlp!.plugin({ compute: { postTagger: directPostTagger(nlp!.world()) } });
  return nlp!;
};

describe('CostModel', () => {
  it('expects nothing before it has measured anything', () => {
    expect(new CostModel().expect(100)).toBe(Infinity);
  });

  it('fits a fixed cost plus a cost per character', () => {
    const model = new CostModel();
    for (let i = 0; i < 40; i++) {
      const chars = 20 + (i % 8) * 20;
      model.add(chars, 0.4 + 0.005 * chars);
    }
    expect(model.expect(0)).toBeCloseTo(0.4, 6);
    expect(model.expect(100)).toBeCloseTo(0.9, 6);
    expect(model.measured).toBe(40);
  });

  it('follows recent jobs: older measurements fade out', () => {
    const model = new CostModel();
    for (let i = 0; i < 200; i++) model.add(20 + (i % 8) * 20, 5);
    for (let i = 0; i < 200; i++) model.add(20 + (i % 8) * 20, 0.5);
    expect(model.expect(100)).toBeCloseTo(0.5, 1);
  });

  it('scales the mean cost by size when the sizes seen do not vary, and never slopes down', () => {
    const same = new CostModel();
    for (let i = 0; i < 10; i++) same.add(50, 1);
    expect(same.expect(50)).toBeCloseTo(1, 6);
    expect(same.expect(100)).toBeCloseTo(2, 6);
    expect(same.expect(10)).toBeCloseTo(1, 6);
    const down = new CostModel();
    for (let i = 0; i < 20; i++) down.add(10 + i * 10, 2 - i * 0.05);
    expect(down.expect(1000)).toBeGreaterThanOrEqual(down.expect(10));
  });
});

describe('loadPrivateCompromise', () => {
  it('tags like the worker, with its own copy: the module-cache compromise is left as it was', () => {
    const shared = require('compromise/two') as { methods(): { one: { bulkMatch: unknown } } };
    const before = shared.methods().one.bulkMatch;
    const nlp = loadPrivateCompromise(compromisePath);
    expect(nlp).not.toBe(shared);
    expect(shared.methods().one.bulkMatch).toBe(before);
    expect(nlp.methods().one.bulkMatch).not.toBe(before);
    expect(tagNameSnippets(nlp, snippets)).toEqual(tagNameSnippets(workerTagger(), snippets));
  });
});

/** A cost model with one fixed answer (timing-free decisions); measurements are ignored. */
class FixedCost extends CostModel {
  constructor(private readonly ms: number) {
    super();
  }
  override add(): void {}
  override expect(): number {
    return this.ms;
  }
}

describe('InlineNamesTagger', () => {
  const start = (options: Partial<ConstructorParameters<typeof InlineNamesTagger>[0]> = {}): InlineNamesTagger =>
    new InlineNamesTagger({ compromisePath, maxJobMs: 1, maxShare: 1, warmUpRounds: 3, loadDelayMs: 0, burstMs: 1e9, cost: new FixedCost(0.1), ...options });

  it('sends every job to the worker until it has loaded and warmed up', async () => {
    const tagger = start({ loadDelayMs: 60_000 });
    expect(tagger.tag(snippets, ALL, 50)).toBeNull();
    expect(tagger.passedJobs).toBe(1);
    tagger.close();
    expect(await tagger.whenReady).toBe(false);
  });

  it('then tags a job that fits, with the same spans as the worker, for the wanted types only', async () => {
    const tagger = start();
    expect(await tagger.whenReady).toBe(true);
    const expected = tagNameSnippets(workerTagger(), snippets);
    expect(tagger.tag(snippets, ALL, 50)).toEqual(expected);
    expect(tagger.tag(snippets, ['LOCATION'], 50)).toEqual(expected.map((spans) => spans.filter((s) => s.type === 'LOCATION')));
    expect(tagger.inlineJobs).toBe(2);
    expect(tagger.expectedMs(100)).toBe(0.1);
    tagger.close();
    expect(tagger.tag(snippets, ALL, 50)).toBeNull();
  });

  it('leaves a job to the worker when it is expected to cost more than maxJobMs or than its time budget', async () => {
    const costly = start({ cost: new FixedCost(5) });
    expect(await costly.whenReady).toBe(true);
    expect(costly.tag(snippets, ALL, 50)).toBeNull();
    costly.close();
    const tagger = start();
    expect(await tagger.whenReady).toBe(true);
    expect(tagger.tag(snippets, ALL, 0.05)).toBeNull();
    expect(tagger.tag(snippets, ALL, 50)).not.toBeNull();
    expect({ inline: tagger.inlineJobs, passed: tagger.passedJobs }).toEqual({ inline: 1, passed: 1 });
    tagger.close();
  });

  it('stops taking jobs once it has used its share of the event loop', async () => {
    // 0.5 ms of loop to borrow and no refill: the first job fits, the time it takes is spent.
    const tagger = start({ maxShare: 0, burstMs: 0.5 });
    expect(await tagger.whenReady).toBe(true);
    let taken = 0;
    while (taken < 10_000 && tagger.tag(snippets, ALL, 50) !== null) taken++;
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(10_000);
    expect(tagger.tag(snippets, ALL, 50)).toBeNull();
    tagger.close();
  });

  it('reports a failed load and keeps every job on the worker', async () => {
    const tagger = start({ compromisePath: '/nonexistent/compromise.cjs' });
    expect(await tagger.whenReady).toBe(false);
    expect(tagger.tag(snippets, ALL, 50)).toBeNull();
    tagger.close();
  });
});
