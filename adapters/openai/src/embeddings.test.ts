import { GatewayError, type ResponseMeta, type Target } from '@portcullis/core';
import { adapters } from './index';
import { decodeBase64Embedding, parseEmbeddings } from './embeddings';

const target: Target = { provider: 'openai', model: 'text-embedding-3-small', credential: { id: 'c', name: 'c', secret: 'sk-x-123456', options: {} } };
const meta: ResponseMeta = { status: 200, headers: new Headers(), target };
const openai = adapters.find((a) => a.providers.includes('openai'))!;
const azure = adapters.find((a) => a.providers.includes('azure-openai'))!;

describe('embeddings', () => {
  it('always asks the upstream for floats, whatever the client wanted', () => {
    const built = openai.embeddings!.buildRequest({ model: 'emb', input: ['a', 'b'], encoding_format: 'base64', dimensions: 4 }, target);
    expect(built.url).toBe('https://api.openai.com/v1/embeddings');
    expect(JSON.parse(built.body!)).toEqual({ model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float', dimensions: 4 });
    expect(built.headers.authorization).toBe('Bearer sk-x-123456');
  });

  it('azure puts the deployment in the URL and leaves model out of the body', () => {
    const built = azure.embeddings!.buildRequest({ model: 'emb', input: 'a' }, { ...target, provider: 'azure-openai', model: 'emb-dep', baseUrl: 'https://r.openai.azure.com' });
    expect(built.url).toBe('https://r.openai.azure.com/openai/deployments/emb-dep/embeddings?api-version=2024-10-21');
    expect(JSON.parse(built.body!)).toEqual({ input: 'a', encoding_format: 'float' });
    expect(built.headers['api-key']).toBe('sk-x-123456');
  });

  it('parses floats, orders by index and decodes base64 when a vendor sends it anyway', () => {
    const floats = new Float32Array([0.5, -1.25]);
    const b64 = Buffer.from(floats.buffer).toString('base64');
    const parsed = parseEmbeddings({ object: 'list', model: 'm', data: [{ object: 'embedding', index: 1, embedding: b64 }, { object: 'embedding', index: 0, embedding: [0.1, 0.2] }], usage: { prompt_tokens: 5, total_tokens: 5 } }, meta);
    expect(parsed).toEqual({ model: 'm', data: [{ index: 0, embedding: [0.1, 0.2] }, { index: 1, embedding: [0.5, -1.25] }], usage: { inputTokens: 5, totalTokens: 5 } });
  });

  it('rejects a body without data', () => {
    expect(() => parseEmbeddings({ object: 'list' }, meta)).toThrow(GatewayError);
  });

  it('decodeBase64Embedding ignores a trailing partial float', () => {
    const bytes = Buffer.concat([Buffer.from(new Float32Array([2]).buffer), Buffer.from([1, 2])]);
    expect(decodeBase64Embedding(bytes.toString('base64'))).toEqual([2]);
  });
});
