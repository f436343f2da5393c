import { costToMicro, estimateToMicro, microToUsd } from './micro-usd';

describe('micro-dollar conversions', () => {
  it('rounds estimates up and costs to nearest, without float noise', () => {
    expect(estimateToMicro(0.0000011)).toBe(2);
    expect(estimateToMicro(0.1 + 0.2)).toBe(300_000);
    expect(costToMicro(0.0000014)).toBe(1);
    expect(costToMicro(1)).toBe(1_000_000);
    expect(microToUsd(1_500_000)).toBe(1.5);
  });
});
