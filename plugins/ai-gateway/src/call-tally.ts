import type { LlmCallState, Usage } from '@portcullis/core';

const addUsage = (a: Usage, b: Usage): Usage => {
  const out: Usage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens, totalTokens: a.totalTokens + b.totalTokens };
  const sum = (key: 'cachedInputTokens' | 'cacheWriteTokens' | 'reasoningTokens'): void => {
    if (a[key] !== undefined || b[key] !== undefined) out[key] = (a[key] ?? 0) + (b[key] ?? 0);
  };
  sum('cachedInputTokens');
  sum('cacheWriteTokens');
  sum('reasoningTokens');
  return out;
};

/**
 * Each host.llm.chat call replaces ctx.llm, so a repair retry would hide the first call's
 * tokens and cost from the log record and from budgets. The tally remembers every call and
 * writes the sums back onto the last call's state.
 */
export class CallTally {
  private readonly calls: LlmCallState[] = [];

  record(state: LlmCallState | null): void {
    if (state && !this.calls.includes(state)) this.calls.push(state);
  }

  get count(): number {
    return this.calls.length;
  }

  /** Sums usage, cost (null when any price is unknown) and attempts onto the last state. */
  applyTo(last: LlmCallState | null): void {
    if (!last) return;
    this.record(last);
    if (this.calls.length < 2) return;
    let usage: Usage | null = null;
    let cost: number | null = 0;
    let attempts = 0;
    let estimated = false;
    for (const call of this.calls) {
      if (call.usage) usage = usage ? addUsage(usage, call.usage) : call.usage;
      cost = cost === null || call.costUsd === null ? null : cost + call.costUsd;
      attempts += call.attempts;
      estimated ||= call.usageEstimated;
    }
    last.usage = usage;
    last.costUsd = cost;
    last.attempts = attempts;
    last.usageEstimated = estimated;
  }
}
