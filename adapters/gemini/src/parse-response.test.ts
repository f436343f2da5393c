import { GatewayError, type ResponseMeta } from '@portcullis/core';
import { parseGeminiResponse } from './parse-response';

const meta: ResponseMeta = {
  status: 200,
  headers: new Headers(),
  target: { provider: 'gemini', model: 'gemini-2.5-flash', credential: { id: 'c', name: 'c', secret: 's', options: {} } },
};

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return err instanceof GatewayError ? err.code : 'not a GatewayError';
  }
  return undefined;
};

describe('parseGeminiResponse', () => {
  it('rejects bodies that are not a response: not an object, or neither candidates nor a block reason', () => {
    expect(codeOf(() => parseGeminiResponse('oops', meta))).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(codeOf(() => parseGeminiResponse([1], meta))).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
    expect(codeOf(() => parseGeminiResponse({ usageMetadata: {} }, meta))).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
  });

  it('leaves thought summaries out of the answer and keeps a function call id the model sent', () => {
    const res = parseGeminiResponse(
      {
        candidates: [
          {
            content: {
              parts: [
                { text: 'thinking...', thought: true },
                { text: 'Answer' },
                { functionCall: { id: 'fc-7', name: 'f', args: { a: 1 } } },
                { functionCall: { name: 'g' } },
              ],
            },
            finishReason: 'STOP',
          },
        ],
      },
      meta,
    );
    expect(res.choices[0]!.message).toEqual({
      role: 'assistant',
      content: 'Answer',
      tool_calls: [
        { id: 'fc-7', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
        { id: 'call_2', type: 'function', function: { name: 'g', arguments: '{}' } },
      ],
    });
    expect(res.choices[0]!.finishReason).toEqual({ unified: 'tool_calls', raw: 'STOP' });
  });

  it.each([
    ['RECITATION', 'content_filter'],
    ['SPII', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'other'],
    ['LANGUAGE', 'other'],
    ['OTHER', 'other'],
  ])('maps finish reason %s to %s, keeping the raw value', (raw, unified) => {
    const res = parseGeminiResponse({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: raw }] }, meta);
    expect(res.choices[0]!.finishReason).toEqual({ unified, raw });
  });

  it('reports a missing finish reason as other with raw null', () => {
    const res = parseGeminiResponse({ candidates: [{ content: { parts: [{ text: 'x' }] } }] }, meta);
    expect(res.choices[0]!.finishReason).toEqual({ unified: 'other', raw: null });
  });

  it('maps logprobsResult to OpenAI logprobs with bytes and alternatives', () => {
    const res = parseGeminiResponse(
      {
        candidates: [
          {
            content: { parts: [{ text: 'Hé' }] },
            finishReason: 'STOP',
            logprobsResult: {
              chosenCandidates: [{ token: 'Hé', logProbability: -0.1 }],
              topCandidates: [{ candidates: [{ token: 'Hé', logProbability: -0.1 }, { token: 'Hi', logProbability: -2.5 }] }],
            },
          },
        ],
      },
      meta,
    );
    expect(res.choices[0]!.logprobs).toEqual({
      content: [
        {
          token: 'Hé',
          logprob: -0.1,
          bytes: [72, 195, 169],
          top_logprobs: [
            { token: 'Hé', logprob: -0.1, bytes: [72, 195, 169] },
            { token: 'Hi', logprob: -2.5, bytes: [72, 105] },
          ],
        },
      ],
    });
  });
});
