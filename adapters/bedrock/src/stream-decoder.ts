import { ERROR_CATALOGUE, type ErrorCode, type StreamDecoder, type StreamPart, type Target, type UpstreamEvent } from '@portcullis/core';
import type { ConverseUsage } from './converse-types';
import { mapStreamException } from './errors';
import { isRecord, mapStopReason, mapUsage } from './response';

/**
 * ConverseStream events -> canonical StreamParts. Text blocks start implicitly with their
 * first delta; tool-use blocks announce themselves with contentBlockStart. `contentBlockIndex`
 * counts every block, while canonical tool indexes count tool calls only, hence the map.
 */
export function createConverseStreamDecoder(target: Target): StreamDecoder {
  const utf8 = new TextDecoder('utf-8');
  /** contentBlockIndex -> canonical tool-call index, for open tool blocks. */
  const openTools = new Map<number, number>();
  let nextToolIndex = 0;
  let finished = false;
  let failed = false;

  const error = (code: ErrorCode, message: string): StreamPart => {
    failed = true;
    const entry = ERROR_CATALOGUE[code];
    return { type: 'error', error: { code, message, status: entry.status, retryable: entry.retryable } };
  };

  const closeTool = (blockIndex: number): StreamPart[] => {
    const index = openTools.get(blockIndex);
    if (index === undefined) return [];
    openTools.delete(blockIndex);
    return [{ type: 'tool-call-end', choice: 0, index }];
  };

  const onEvent = (eventType: string, payload: Record<string, unknown>): StreamPart[] => {
    const blockIndex = typeof payload.contentBlockIndex === 'number' ? payload.contentBlockIndex : 0;
    switch (eventType) {
      case 'messageStart':
        return [{ type: 'response-meta', model: target.model }];
      case 'contentBlockStart': {
        const start = isRecord(payload.start) ? payload.start : undefined;
        const toolUse = start && isRecord(start.toolUse) ? start.toolUse : undefined;
        if (!toolUse || typeof toolUse.toolUseId !== 'string' || typeof toolUse.name !== 'string') return [];
        const index = nextToolIndex++;
        openTools.set(blockIndex, index);
        return [{ type: 'tool-call-start', choice: 0, index, id: toolUse.toolUseId, name: toolUse.name }];
      }
      case 'contentBlockDelta': {
        const delta = isRecord(payload.delta) ? payload.delta : {};
        if (typeof delta.text === 'string') return delta.text === '' ? [] : [{ type: 'text-delta', choice: 0, text: delta.text }];
        const index = openTools.get(blockIndex);
        if (isRecord(delta.toolUse) && typeof delta.toolUse.input === 'string' && index !== undefined) {
          return delta.toolUse.input === '' ? [] : [{ type: 'tool-call-delta', choice: 0, index, argumentsDelta: delta.toolUse.input }];
        }
        return []; // reasoningContent, citations: no canonical part yet
      }
      case 'contentBlockStop':
        return closeTool(blockIndex);
      case 'messageStop': {
        const parts = [...openTools.keys()].flatMap(closeTool);
        finished = true;
        parts.push({ type: 'finish', choice: 0, reason: mapStopReason(payload.stopReason) });
        return parts;
      }
      case 'metadata':
        return isRecord(payload.usage) ? [{ type: 'usage', usage: mapUsage(payload.usage as ConverseUsage) }] : [];
      default:
        return []; // unknown future events are skipped, as the SDKs do
    }
  };

  return {
    push(event: UpstreamEvent): StreamPart[] {
      if (event.kind !== 'message' || failed) return [];
      const messageType = event.headers[':message-type'] ?? 'event';
      if (messageType === 'error') {
        // Unmodelled service error: name and message travel in headers, not the payload.
        const detail = `${event.headers[':error-code'] ?? 'unknown'}: ${event.headers[':error-message'] ?? ''}`.trim().slice(0, 300);
        return [error('GW_ERR_UPSTREAM_ERROR', `Bedrock stream error ${detail}`)];
      }
      let payload: unknown;
      try {
        payload = event.payload.byteLength === 0 ? {} : (JSON.parse(utf8.decode(event.payload)) as unknown);
      } catch {
        return [error('GW_ERR_UPSTREAM_BAD_RESPONSE', 'Bedrock sent a stream event whose payload is not JSON.')];
      }
      if (messageType === 'exception') {
        const mapped = mapStreamException(event.headers[':exception-type'] ?? 'unknown', payload);
        return [error(mapped.code, mapped.message)];
      }
      if (!isRecord(payload)) return [error('GW_ERR_UPSTREAM_BAD_RESPONSE', 'Bedrock sent a stream event that is not a JSON object.')];
      return onEvent(event.headers[':event-type'] ?? '', payload);
    },
    end(): StreamPart[] {
      if (finished || failed) return [];
      return [error('GW_ERR_UPSTREAM_BAD_RESPONSE', 'The Bedrock stream ended before messageStop.')];
    },
  };
}
