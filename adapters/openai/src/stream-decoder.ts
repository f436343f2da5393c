import { ERROR_CATALOGUE, type StreamDecoder, type StreamPart, type Usage, type UpstreamEvent } from '@portcullis/core';
import { mapFinishReason } from './finish-reason';
import { parseLogprobs } from './parse-response';
import { streamErrorFromPayload } from './upstream-errors';
import { mapUsage } from './usage';
import { argumentsText, asArray, asNumber, asString, isRecord, type WireRecord } from './wire';

/**
 * Decodes OpenAI's chat-completion SSE stream (`data: {chunk}` ... `data: [DONE]`) into
 * canonical StreamParts. Tool calls arrive as fragments keyed by `index`: the first fragment
 * of a call carries id/type/name, later ones only argument text. A call ends when its choice
 * finishes or when the same choice starts another index.
 *
 * Usage is held until the stream ends: OpenAI sends it once in a trailing `choices: []` chunk,
 * but some compatible vendors repeat running totals on several chunks; the last one wins.
 */
/** The stream could not be read: the catalogue's bad-response error with a specific message. */
const badStream = (message: string): StreamPart => {
  const entry = ERROR_CATALOGUE.GW_ERR_UPSTREAM_BAD_RESPONSE;
  return { type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', message, status: entry.status, retryable: entry.retryable } };
};

export function createOpenAIStreamDecoder(): StreamDecoder {
  let metaSent = false;
  let done = false;
  let finishedAny = false;
  let pendingUsage: Usage | undefined;
  /** Open tool call per choice: its index within the choice. */
  const openToolCall = new Map<number, number>();

  const closeToolCall = (choice: number, out: StreamPart[]): void => {
    const index = openToolCall.get(choice);
    if (index === undefined) return;
    openToolCall.delete(choice);
    out.push({ type: 'tool-call-end', choice, index });
  };

  const finishStream = (out: StreamPart[]): void => {
    for (const choice of [...openToolCall.keys()]) closeToolCall(choice, out);
    if (pendingUsage) out.push({ type: 'usage', usage: pendingUsage });
    pendingUsage = undefined;
    done = true;
  };

  const pushToolCallFragments = (choice: number, fragments: unknown, out: StreamPart[]): void => {
    for (const [position, fragment] of asArray(fragments).entries()) {
      if (!isRecord(fragment)) continue;
      const index = asNumber(fragment.index) ?? position;
      const fn = isRecord(fragment.function) ? fragment.function : {};
      const id = asString(fragment.id);
      const name = asString(fn.name);
      const isNewCall = openToolCall.get(choice) !== index;
      if (isNewCall) {
        closeToolCall(choice, out);
        // A vendor that omits the id on the first fragment still gets a stable one.
        out.push({ type: 'tool-call-start', choice, index, id: id ?? `call_${choice}_${index}`, name: name ?? '' });
        openToolCall.set(choice, index);
      }
      const args = argumentsText(fn.arguments);
      if (args.length > 0) out.push({ type: 'tool-call-delta', choice, index, argumentsDelta: args });
    }
  };

  const pushChoice = (raw: WireRecord, position: number, out: StreamPart[]): void => {
    const choice = asNumber(raw.index) ?? position;
    const delta = isRecord(raw.delta) ? raw.delta : {};
    const text = asString(delta.content);
    if (text) out.push({ type: 'text-delta', choice, text });
    const refusal = asString(delta.refusal);
    if (refusal) out.push({ type: 'refusal-delta', choice, text: refusal });
    pushToolCallFragments(choice, delta.tool_calls, out);
    const logprobs = parseLogprobs(raw.logprobs);
    if (logprobs) out.push({ type: 'logprobs', choice, logprobs });
    if (raw.finish_reason !== null && raw.finish_reason !== undefined) {
      closeToolCall(choice, out);
      out.push({ type: 'finish', choice, reason: mapFinishReason(raw.finish_reason) });
      finishedAny = true;
    }
  };

  const pushChunk = (chunk: WireRecord, out: StreamPart[]): void => {
    // Azure sends a first chunk with empty id/model and only prompt_filter_results.
    const id = asString(chunk.id);
    const model = asString(chunk.model);
    if (!metaSent && (id || model)) {
      const meta: StreamPart = { type: 'response-meta' };
      if (id) meta.id = id;
      if (model) meta.model = model;
      const created = asNumber(chunk.created);
      if (created !== undefined) meta.created = created;
      if ('system_fingerprint' in chunk) meta.systemFingerprint = asString(chunk.system_fingerprint) ?? null;
      out.push(meta);
      metaSent = true;
    }
    for (const [position, choice] of asArray(chunk.choices).entries()) if (isRecord(choice)) pushChoice(choice, position, out);
    // Groq reports stream usage under `x_groq.usage` rather than `usage`.
    const usage = mapUsage(chunk.usage) ?? (isRecord(chunk.x_groq) ? mapUsage(chunk.x_groq.usage) : undefined);
    if (usage) pendingUsage = usage;
  };

  return {
    push(event: UpstreamEvent): StreamPart[] {
      if (done || event.kind !== 'sse') return [];
      const out: StreamPart[] = [];
      const data = event.data.trim();
      if (data === '[DONE]') {
        finishStream(out);
        return out;
      }
      let chunk: unknown;
      try {
        chunk = JSON.parse(data);
      } catch {
        finishStream(out);
        out.push(badStream('The upstream stream sent an event that is not JSON.'));
        return out;
      }
      if (!isRecord(chunk)) return out;
      if (chunk.error !== undefined || event.event === 'error') {
        finishStream(out);
        out.push({ type: 'error', error: streamErrorFromPayload(chunk) });
        return out;
      }
      pushChunk(chunk, out);
      return out;
    },
    end(): StreamPart[] {
      if (done) return [];
      const out: StreamPart[] = [];
      const truncated = !finishedAny;
      finishStream(out);
      // A stream that stopped before any choice finished was cut off, not completed.
      if (truncated) {
        out.push(badStream('The upstream stream ended before the response was complete.'));
      }
      return out;
    },
  };
}
