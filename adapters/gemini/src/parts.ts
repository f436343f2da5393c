import type { ToolCall } from '@portcullis/core';
import { asString, isRecord } from './narrow';
import { withThoughtSignature } from './thought-signature';

/**
 * Gemini usually gives function calls no id, but OpenAI clients must echo one back in the
 * tool message. Ids are `call_<n>`, counted per response (or per stream), so the same upstream
 * answer always yields the same ids; an id the model does send is kept.
 */
export function createCallIds(): (upstreamId: unknown) => string {
  let next = 0;
  return (upstreamId) => {
    next += 1;
    return typeof upstreamId === 'string' && upstreamId.length > 0 ? upstreamId : `call_${next}`;
  };
}

export interface ReadParts {
  text: string[];
  calls: { id: string; name: string; arguments: string }[];
}

/**
 * Splits a candidate's parts into answer text and function calls; thought summaries are skipped.
 * A call's thought signature travels in its id (see thought-signature.ts).
 */
export function readParts(parts: unknown, nextId: (upstreamId: unknown) => string): ReadParts {
  const out: ReadParts = { text: [], calls: [] };
  if (!Array.isArray(parts)) return out;
  for (const part of parts) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string' && part.thought !== true) out.text.push(part.text);
    if (isRecord(part.functionCall)) {
      const call = part.functionCall;
      // Gemini 3 puts the signature beside functionCall; some 2.5 responses nested it inside.
      const signature = asString(part.thoughtSignature) ?? asString(call.thoughtSignature);
      out.calls.push({
        id: withThoughtSignature(nextId(call.id), signature),
        name: asString(call.name) ?? '',
        arguments: JSON.stringify(isRecord(call.args) ? call.args : {}),
      });
    }
  }
  return out;
}

export const toToolCall = (call: ReadParts['calls'][number]): ToolCall => ({
  id: call.id,
  type: 'function',
  function: { name: call.name, arguments: call.arguments },
});
