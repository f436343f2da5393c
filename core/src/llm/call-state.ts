import type { LlmCallState } from '../spec/plugin';

export type LlmCallStateInit = Pick<LlmCallState, 'request'> & Partial<LlmCallState>;

/**
 * A fresh LlmCallState: what the call is and where it may go, with every measurement (attempts,
 * usage, cost, timings) starting empty. The one place the initial shape is written down.
 */
export function createLlmCallState(init: LlmCallStateInit): LlmCallState {
  const targets = init.targets ?? [];
  return {
    kind: 'messages' in init.request ? 'chat' : 'embeddings',
    requestedModel: init.request.model,
    alias: null,
    targets,
    target: targets[0] ?? null,
    attempts: 0,
    stream: false,
    clientWantsUsage: false,
    usage: null,
    usageEstimated: false,
    outputChars: 0,
    costUsd: null,
    warnings: [],
    upstreamStartedAt: null,
    upstreamHeadersAt: null,
    ...init,
  };
}
