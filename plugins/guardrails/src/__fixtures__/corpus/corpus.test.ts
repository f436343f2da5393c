import { PII_TYPES, SECRET_TYPES } from '../../entities';
import { evaluateCorpus, formatScores, loadCorpus } from './evaluate';

describe('labelled corpus', () => {
  const samples = loadCorpus();
  const { scores, misses } = evaluateCorpus(samples);

  it('is big enough and covers every structured type, with clean look-alikes', () => {
    expect(samples.length).toBeGreaterThanOrEqual(500);
    expect(samples.filter((s) => s.entities.length === 0).length).toBeGreaterThanOrEqual(100);
    const labelled = new Set(samples.flatMap((s) => s.entities.map((e) => e.type)));
    for (const type of [...PII_TYPES, ...SECRET_TYPES]) expect([type, labelled.has(type)]).toEqual([type, true]);
  });

  it.each([...PII_TYPES, ...SECRET_TYPES])('%s: precision >= 0.95 and recall >= 0.9', (type) => {
    const score = scores.find((s) => s.type === type);
    expect(score).toBeDefined();
    const detail = `${formatScores([score!])}\n${misses.filter((m) => m.includes(type)).join('\n')}`;
    expect({ type, precisionOk: score!.precision >= 0.95, recallOk: score!.recall >= 0.9, detail }).toMatchObject({ precisionOk: true, recallOk: true });
  });
});
