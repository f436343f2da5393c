import type { ChoiceLogprobs, FinishReason, Usage } from './chat';

/**
 * The canonical stream: what every adapter's stream decoder emits and what plugins see in
 * onChunk. `choice` is the choice index (n > 1); `index` is the tool call's position within it.
 */
export type StreamPart =
  | { type: 'response-meta'; id?: string; model?: string; created?: number; systemFingerprint?: string | null }
  | { type: 'text-delta'; choice: number; text: string }
  | { type: 'refusal-delta'; choice: number; text: string }
  | { type: 'tool-call-start'; choice: number; index: number; id: string; name: string }
  | { type: 'tool-call-delta'; choice: number; index: number; argumentsDelta: string }
  | { type: 'tool-call-end'; choice: number; index: number }
  | { type: 'logprobs'; choice: number; logprobs: ChoiceLogprobs }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; choice: number; reason: FinishReason }
  | { type: 'error'; error: StreamError };

export interface StreamError {
  /** A catalogue code such as GW_ERR_UPSTREAM_OVERLOADED, or the provider's own error type. */
  code: string;
  message: string;
  status?: number;
  retryable?: boolean;
}

export type StreamPartType = StreamPart['type'];
