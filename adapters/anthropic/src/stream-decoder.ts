import { ERROR_CATALOGUE, type StreamDecoder, type StreamPart, type UpstreamEvent } from '@portcullis/core';
import { toFinishReason } from './finish-reason';
import { classifyAnthropicError, readErrorBody, safeUpstreamMessage } from './map-error';
import { isRecord, numberField, readUsage, stringField, type UnknownRecord } from './narrow';
import { mergeUsage, toCanonicalUsage } from './usage';
import type { AnthropicUsage } from './wire-types';

/** What a content block index refers to; tool blocks get their own 0-based tool index. */
type BlockState = { kind: 'text' } | { kind: 'tool'; toolIndex: number } | { kind: 'ignored' };

const CHOICE = 0;

function badStreamPart(why: string): StreamPart {
  const entry = ERROR_CATALOGUE.GW_ERR_UPSTREAM_BAD_RESPONSE;
  return { type: 'error', error: { code: 'GW_ERR_UPSTREAM_BAD_RESPONSE', message: `Anthropic stream: ${why}.`, status: entry.status, retryable: entry.retryable } };
}

/**
 * Decodes Anthropic's SSE events (message_start, content_block_start/delta/stop, message_delta,
 * message_stop, ping, error) into canonical parts. The event type is read from the JSON `type`
 * (always present) rather than the SSE `event:` line. Unknown event and delta types are ignored,
 * as Anthropic's versioning policy asks of clients.
 */
export function createMessagesStreamDecoder(): StreamDecoder {
  const blocks = new Map<number, BlockState>();
  let toolCount = 0;
  let usage: AnthropicUsage | undefined;
  let usageEmitted = false;
  let finished = false;
  let failed = false;

  const usagePart = (): StreamPart[] => {
    if (usageEmitted || !usage) return [];
    usageEmitted = true;
    return [{ type: 'usage', usage: toCanonicalUsage(usage) }];
  };

  const onMessageStart = (data: UnknownRecord): StreamPart[] => {
    const message = isRecord(data['message']) ? data['message'] : {};
    usage = readUsage(message['usage']) ?? usage;
    const meta: StreamPart = { type: 'response-meta' };
    const id = stringField(message, 'id');
    const model = stringField(message, 'model');
    if (id !== undefined) meta.id = id;
    if (model !== undefined) meta.model = model;
    return [meta];
  };

  const onBlockStart = (data: UnknownRecord): StreamPart[] => {
    const index = numberField(data, 'index');
    const block = data['content_block'];
    if (index === undefined || !isRecord(block)) return [badStreamPart('content_block_start without index or block')];
    if (block['type'] === 'text') {
      blocks.set(index, { kind: 'text' });
      const text = stringField(block, 'text') ?? '';
      return text.length > 0 ? [{ type: 'text-delta', choice: CHOICE, text }] : [];
    }
    if (block['type'] === 'tool_use') {
      const toolIndex = toolCount++;
      blocks.set(index, { kind: 'tool', toolIndex });
      return [{ type: 'tool-call-start', choice: CHOICE, index: toolIndex, id: stringField(block, 'id') ?? '', name: stringField(block, 'name') ?? '' }];
    }
    // thinking, redacted_thinking, server tools: nothing a chat-completions client can show.
    blocks.set(index, { kind: 'ignored' });
    return [];
  };

  const onBlockDelta = (data: UnknownRecord): StreamPart[] => {
    const state = blocks.get(numberField(data, 'index') ?? -1);
    const delta = data['delta'];
    if (!state || !isRecord(delta)) return [];
    if (delta['type'] === 'text_delta' && state.kind === 'text') {
      const text = stringField(delta, 'text') ?? '';
      return text.length > 0 ? [{ type: 'text-delta', choice: CHOICE, text }] : [];
    }
    if (delta['type'] === 'input_json_delta' && state.kind === 'tool') {
      const piece = stringField(delta, 'partial_json') ?? '';
      return piece.length > 0 ? [{ type: 'tool-call-delta', choice: CHOICE, index: state.toolIndex, argumentsDelta: piece }] : [];
    }
    // thinking_delta, signature_delta, citations_delta: deliberately dropped.
    return [];
  };

  const onBlockStop = (data: UnknownRecord): StreamPart[] => {
    const state = blocks.get(numberField(data, 'index') ?? -1);
    return state?.kind === 'tool' ? [{ type: 'tool-call-end', choice: CHOICE, index: state.toolIndex }] : [];
  };

  const onMessageDelta = (data: UnknownRecord): StreamPart[] => {
    const update = readUsage(data['usage']);
    if (update) usage = mergeUsage(usage ?? {}, update);
    const delta = isRecord(data['delta']) ? data['delta'] : {};
    const stopReason = stringField(delta, 'stop_reason');
    if (stopReason === undefined || finished) return [];
    finished = true;
    return [{ type: 'finish', choice: CHOICE, reason: toFinishReason(stopReason) }];
  };

  const onError = (data: UnknownRecord): StreamPart[] => {
    failed = true;
    const { type, message } = readErrorBody(data);
    const classification = classifyAnthropicError(type, undefined, message);
    const entry = ERROR_CATALOGUE[classification.code];
    return [
      {
        type: 'error',
        error: {
          code: classification.code,
          message: message !== undefined ? `${entry.message} (Anthropic ${type ?? 'error'}): ${safeUpstreamMessage(message)}` : entry.message,
          status: classification.status ?? entry.status,
          retryable: entry.retryable,
        },
      },
    ];
  };

  return {
    push(event: UpstreamEvent): StreamPart[] {
      if (event.kind !== 'sse') return [];
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return [badStreamPart(`event ${event.event ?? '(unnamed)'} is not JSON`)];
      }
      if (!isRecord(data)) return [badStreamPart('event data is not an object')];
      switch (stringField(data, 'type') ?? event.event) {
        case 'message_start':
          return onMessageStart(data);
        case 'content_block_start':
          return onBlockStart(data);
        case 'content_block_delta':
          return onBlockDelta(data);
        case 'content_block_stop':
          return onBlockStop(data);
        case 'message_delta':
          return onMessageDelta(data);
        case 'message_stop':
          return usagePart();
        case 'error':
          return onError(data);
        default:
          return []; // ping and event types added after this adapter was written
      }
    },
    /**
     * A stream that ends without message_stop was cut: report the usage seen so far (it was
     * billed) and, unless an error event already explained it, say that the answer is incomplete.
     */
    end(): StreamPart[] {
      // After an in-band error the error part stays the last word.
      if (failed) return [];
      const parts = usagePart();
      if (!finished && usage !== undefined) parts.push(badStreamPart('the stream ended before the message was complete'));
      return parts;
    },
  };
}
