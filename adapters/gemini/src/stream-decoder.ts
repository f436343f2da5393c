import { ERROR_CATALOGUE, type StreamDecoder, type StreamPart, type Target, type Usage } from '@portcullis/core';
import { mapFinishReason } from './finish-reason';
import { mapLogprobs } from './logprobs';
import { mapInBandError } from './map-error';
import { asNumber, asString, isRecord } from './narrow';
import { createCallIds, readParts } from './parts';
import { mapUsage } from './usage';

/**
 * `streamGenerateContent?alt=sse`: every `data:` is a complete GenerateContentResponse holding
 * the next slice of each candidate. Text becomes text deltas. Gemini sends a function call
 * whole (never split across chunks), so start, one delta with the full arguments, and end go
 * out together. usageMetadata repeats with running totals, so only the last one counts: it is
 * emitted once, at the end.
 */
export function createGeminiStreamDecoder(_target: Target): StreamDecoder {
  const nextId = createCallIds();
  /** Per choice: how many tool calls so far (their `index`) and whether it has finished. */
  const choices = new Map<number, { toolCalls: number; finished: boolean }>();
  let sentMeta = false;
  let lastUsage: Usage | undefined;
  let failed = false;

  const stateOf = (choice: number): { toolCalls: number; finished: boolean } => {
    let state = choices.get(choice);
    if (!state) {
      state = { toolCalls: 0, finished: false };
      choices.set(choice, state);
    }
    return state;
  };

  const decodeChunk = (chunk: Record<string, unknown>): StreamPart[] => {
    const parts: StreamPart[] = [];
    if (isRecord(chunk.error)) {
      failed = true;
      const mapped = mapInBandError(chunk);
      return [{ type: 'error', error: { code: mapped.code, message: mapped.message, status: mapped.status, retryable: mapped.retryable } }];
    }
    if (!sentMeta) {
      sentMeta = true;
      const meta: StreamPart = { type: 'response-meta' };
      const id = asString(chunk.responseId);
      const model = asString(chunk.modelVersion);
      if (id !== undefined) meta.id = id;
      if (model !== undefined) meta.model = model;
      parts.push(meta);
    }
    const candidates = Array.isArray(chunk.candidates) ? chunk.candidates.filter(isRecord) : [];
    candidates.forEach((candidate, position) => {
      const choice = asNumber(candidate.index) ?? position;
      const state = stateOf(choice);
      const content = isRecord(candidate.content) ? candidate.content : {};
      const { text, calls } = readParts(content.parts, nextId);
      for (const delta of text) if (delta.length > 0) parts.push({ type: 'text-delta', choice, text: delta });
      for (const call of calls) {
        const index = state.toolCalls++;
        parts.push(
          { type: 'tool-call-start', choice, index, id: call.id, name: call.name },
          { type: 'tool-call-delta', choice, index, argumentsDelta: call.arguments },
          { type: 'tool-call-end', choice, index },
        );
      }
      const logprobs = mapLogprobs(candidate.logprobsResult);
      if (logprobs) parts.push({ type: 'logprobs', choice, logprobs });
      const finishReason = asString(candidate.finishReason);
      if (finishReason !== undefined && !state.finished) {
        state.finished = true;
        parts.push({ type: 'finish', choice, reason: mapFinishReason(finishReason, state.toolCalls > 0) });
      }
    });
    // A refused prompt streams one chunk with promptFeedback and no candidates (see parse-response).
    const blockReason = isRecord(chunk.promptFeedback) ? asString(chunk.promptFeedback.blockReason) : undefined;
    if (candidates.length === 0 && blockReason !== undefined && !stateOf(0).finished) {
      stateOf(0).finished = true;
      parts.push({ type: 'finish', choice: 0, reason: { unified: 'content_filter', raw: blockReason } });
    }
    const usage = mapUsage(chunk.usageMetadata);
    if (usage) lastUsage = usage;
    return parts;
  };

  return {
    push(event) {
      if (event.kind !== 'sse' || failed) return [];
      let chunk: unknown;
      try {
        chunk = JSON.parse(event.data);
      } catch {
        failed = true;
        return [badResponse('Gemini sent a stream event that is not JSON.')];
      }
      // Without `alt=sse` Gemini streams a JSON array; tolerate a framed array too.
      const chunks = Array.isArray(chunk) ? chunk : [chunk];
      const parts: StreamPart[] = [];
      for (const c of chunks) if (!failed && isRecord(c)) parts.push(...decodeChunk(c));
      return parts;
    },
    end() {
      if (failed) return [];
      const parts: StreamPart[] = [];
      if (lastUsage) parts.push({ type: 'usage', usage: lastUsage });
      const unfinished = choices.size === 0 || [...choices.values()].some((s) => !s.finished);
      if (unfinished)
        parts.push(badResponse('The Gemini stream ended before the answer finished.'));
      return parts;
    },
  };
}

const badResponse = (message: string): StreamPart => {
  const entry = ERROR_CATALOGUE.GW_ERR_UPSTREAM_BAD_RESPONSE;
  return { type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', message, status: entry.status, retryable: entry.retryable } };
};
