import { GatewayError, type ResponseMeta, type Target } from '@portcullis/core';
import { buildEmbeddingsRequest, parseEmbeddingsResponse } from './embeddings';

const target: Target = { provider: 'gemini', model: 'text-embedding-004', credential: { id: 'c', name: 'c', secret: 'AIza-k', options: {} } };
const meta: ResponseMeta = { status: 200, headers: new Headers(), target };

describe('Gemini embeddings', () => {
  it('sends one string to :embedContent with outputDimensionality, and warns that usage is not reported', () => {
    const built = buildEmbeddingsRequest({ model: 'e', input: 'hello', dimensions: 256 }, target);
    expect(built.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:embedContent');
    expect(built.headers['x-goog-api-key']).toBe('AIza-k');
    expect(JSON.parse(built.body!)).toEqual({ content: { parts: [{ text: 'hello' }] }, outputDimensionality: 256 });
    expect(built.warnings).toEqual([expect.objectContaining({ setting: 'usage' })]);
  });

  it('sends a list to :batchEmbedContents, one request per input naming the model', () => {
    const built = buildEmbeddingsRequest({ model: 'e', input: ['a', 'b'] }, target);
    expect(built.url.endsWith('/models/text-embedding-004:batchEmbedContents')).toBe(true);
    expect(JSON.parse(built.body!)).toEqual({
      requests: [
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] } },
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'b' }] } },
      ],
    });
  });

  it.each([[[1, 2, 3]], [[[1], [2]]], [[]]])('refuses token-array or empty input %j with a clear error naming `input`', (input) => {
    let caught: unknown;
    try {
      buildEmbeddingsRequest({ model: 'e', input: input as number[] }, target);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).code).toBe('GW_ERR_FEATURE_UNSUPPORTED');
    expect((caught as GatewayError).param).toBe('input');
  });

  it('reads single and batch responses; usage is 0 unless Gemini reports it', () => {
    expect(parseEmbeddingsResponse({ embedding: { values: [0.1, 0.2] } }, meta)).toEqual({
      model: 'text-embedding-004',
      data: [{ index: 0, embedding: [0.1, 0.2] }],
      usage: { inputTokens: 0, totalTokens: 0 },
    });
    const batch = parseEmbeddingsResponse({ embeddings: [{ values: [1] }, { values: [2] }], usageMetadata: { promptTokenCount: 6 } }, meta);
    expect(batch.data).toEqual([
      { index: 0, embedding: [1] },
      { index: 1, embedding: [2] },
    ]);
    expect(batch.usage).toEqual({ inputTokens: 6, totalTokens: 6 });
  });

  it.each([['garbage'], [{}], [{ embeddings: [{ values: ['x'] }] }], [{ embedding: {} }]])('rejects an unreadable response %j', (body) => {
    expect(() => parseEmbeddingsResponse(body, meta)).toThrow(GatewayError);
  });
});
