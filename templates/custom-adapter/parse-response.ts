import { GatewayError, type CanonicalChatResponse, type ResponseMeta, type Usage } from '@portcullis/core';
import { finishReasonOf } from './finish-reason';
import { isRecord, numberField, stringField, type JsonRecord } from './narrow';

export function usageOf(tokens: unknown): Usage | undefined {
  if (!isRecord(tokens)) return undefined;
  const inputTokens = numberField(tokens, 'prompt') ?? 0;
  const outputTokens = numberField(tokens, 'output') ?? 0;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

const badResponse = (why: string): GatewayError => new GatewayError('GW_ERR_UPSTREAM_BAD_RESPONSE', { message: `Acme returned an unreadable response: ${why}.` });

/** Acme JSON -> canonical response. Anything not shaped like Acme's answer is a 502, never a crash. */
export function parseAcmeResponse(body: unknown, meta: ResponseMeta): CanonicalChatResponse {
  if (!isRecord(body)) throw badResponse('not a JSON object');
  const output: JsonRecord | undefined = isRecord(body['output']) ? body['output'] : undefined;
  const text = output ? stringField(output, 'text') : undefined;
  if (output === undefined || text === undefined) throw badResponse('no output.text');
  const createdAt = Date.parse(stringField(body, 'created_at') ?? '');
  const response: CanonicalChatResponse = {
    id: stringField(body, 'id') ?? 'acme-unknown',
    created: Number.isNaN(createdAt) ? Math.floor(Date.now() / 1000) : Math.floor(createdAt / 1000),
    model: stringField(body, 'model') ?? meta.target.model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finishReason: finishReasonOf(stringField(output, 'stop')) }],
  };
  const usage = usageOf(body['tokens']);
  if (usage) response.usage = usage;
  return response;
}
