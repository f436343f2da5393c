import { createLlmCallState, type LlmCallState } from '@portcullis/core';
import { CallTally } from './call-tally';

const state = (over: Partial<LlmCallState>): LlmCallState =>
  createLlmCallState({ request: { model: 'm', messages: [] }, attempts: 1, ...over });

describe('CallTally', () => {
  it('sums usage, cost and attempts of every call onto the last one', () => {
    const tally = new CallTally();
    const first = state({ usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 2 }, costUsd: 0.01, attempts: 2 });
    const second = state({ usage: { inputTokens: 20, outputTokens: 7, totalTokens: 27 }, costUsd: 0.02, attempts: 1 });
    tally.record(first);
    tally.applyTo(second);
    expect(second.usage).toEqual({ inputTokens: 30, outputTokens: 12, totalTokens: 42, cachedInputTokens: 2 });
    expect(second.costUsd).toBeCloseTo(0.03);
    expect(second.attempts).toBe(3);
  });

  it('keeps the cost unknown when any call’s price is unknown', () => {
    const tally = new CallTally();
    tally.record(state({ usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, costUsd: null }));
    const last = state({ usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, costUsd: 0.5 });
    tally.applyTo(last);
    expect(last.costUsd).toBeNull();
  });

  it('changes nothing after a single call', () => {
    const tally = new CallTally();
    const only = state({ usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, costUsd: 0.5, attempts: 2 });
    tally.record(only);
    tally.applyTo(only);
    expect(only).toEqual(expect.objectContaining({ costUsd: 0.5, attempts: 2, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }));
  });
});
