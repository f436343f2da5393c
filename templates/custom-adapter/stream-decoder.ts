import type { StreamDecoder, StreamPart, UpstreamEvent } from '@portcullis/core';
import { finishReasonOf } from './finish-reason';
import { mapAcmeError } from './map-error';
import { isRecord, stringField } from './narrow';
import { usageOf } from './parse-response';

/**
 * Acme SSE events -> canonical stream parts. Core frames the SSE bytes (however they are
 * split); this sees whole events. One decoder per stream: its state lives in the closure.
 */
export function createAcmeStreamDecoder(): StreamDecoder {
  let ended = false;
  let failed = false;

  const fail = (code: string, message: string, retryable: boolean): StreamPart[] => {
    failed = true;
    return [{ type: 'error', error: { code, message, retryable } }];
  };

  return {
    push(event: UpstreamEvent): StreamPart[] {
      if (event.kind !== 'sse' || ended || failed) return [];
      let data: unknown;
      try {
        data = JSON.parse(event.data);
      } catch {
        return fail('GW_ERR_UPSTREAM_BAD_RESPONSE', 'Acme sent a stream event that is not JSON.', true);
      }
      if (!isRecord(data)) return fail('GW_ERR_UPSTREAM_BAD_RESPONSE', 'Acme sent a stream event that is not an object.', true);
      switch (event.event) {
        case 'start': {
          const meta: StreamPart = { type: 'response-meta' };
          const id = stringField(data, 'id');
          const model = stringField(data, 'model');
          if (id !== undefined) meta.id = id;
          if (model !== undefined) meta.model = model;
          return [meta];
        }
        case 'delta': {
          const text = stringField(data, 'text');
          return text ? [{ type: 'text-delta', choice: 0, text }] : [];
        }
        case 'end': {
          ended = true;
          const parts: StreamPart[] = [{ type: 'finish', choice: 0, reason: finishReasonOf(stringField(data, 'stop')) }];
          const usage = usageOf(data['tokens']);
          if (usage) parts.push({ type: 'usage', usage });
          return parts;
        }
        case 'error': {
          // The same kinds as HTTP errors; status 200 because the stream had already started.
          const mapped = mapAcmeError(200, data, new Headers());
          return fail(mapped.code, mapped.message, mapped.retryable);
        }
        default:
          return []; // unknown events (keep-alives, future additions) are ignored
      }
    },
    end(): StreamPart[] {
      if (ended || failed) return [];
      return fail('GW_ERR_UPSTREAM_BAD_RESPONSE', 'The Acme stream ended before its end event.', true);
    },
  };
}
