import { GatewayError, type Target } from '@portcullis/core';
import { adapters, createBedrockAdapter } from './index';

const target = (options: Record<string, string>, over: Partial<Target> = {}): Target => ({
  provider: 'bedrock',
  model: 'anthropic.claude-v2:1',
  credential: { id: 'c', name: 'c', secret: 'super/secret+key', options },
  ...over,
});
const request = { model: 'x', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('createBedrockAdapter', () => {
  it('exports one adapter for provider "bedrock" with its own frame decoder', () => {
    expect(adapters).toHaveLength(1);
    expect(adapters[0]!.providers).toEqual(['bedrock']);
    expect(typeof adapters[0]!.createFrameDecoder).toBe('function');
  });

  it('refuses a credential without accessKeyId, naming no secret', () => {
    let caught: unknown;
    try {
      createBedrockAdapter().buildRequest(request, target({}));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).code).toBe('GW_ERR_UPSTREAM_AUTH');
    expect((caught as GatewayError).message).not.toContain('super/secret+key');
  });

  it('defaults to us-east-1, strips trailing slashes from baseUrl, and picks converse-stream for streams', () => {
    const adapter = createBedrockAdapter({ now: () => 0 });
    expect(adapter.buildRequest(request, target({ accessKeyId: 'AK' })).url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-v2%3A1/converse');
    const built = adapter.buildRequest({ ...request, stream: true }, target({ accessKeyId: 'AK', region: 'eu-west-1' }, { baseUrl: 'http://127.0.0.1:9999//' }));
    expect(built.url).toBe('http://127.0.0.1:9999/model/anthropic.claude-v2%3A1/converse-stream');
    expect(built.headers.accept).toBe('application/vnd.amazon.eventstream');
    expect(built.headers.authorization).toContain('/19700101/eu-west-1/bedrock/aws4_request');
  });

  it('signs with the injected clock and keeps the secret out of url, body and headers', () => {
    const built = createBedrockAdapter({ now: () => Date.UTC(2024, 0, 2, 3, 4, 5) }).buildRequest(request, target({ accessKeyId: 'AK', sessionToken: 'TOKEN' }));
    expect(built.headers['x-amz-date']).toBe('20240102T030405Z');
    expect(built.headers['x-amz-security-token']).toBe('TOKEN');
    expect(JSON.stringify(built)).not.toContain('super/secret+key');
  });

  it('uses the real clock by default', () => {
    const before = Date.now();
    const built = createBedrockAdapter().buildRequest(request, target({ accessKeyId: 'AK' }));
    const signedAt = Date.parse(built.headers['x-amz-date']!.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    expect(signedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(signedAt).toBeLessThanOrEqual(Date.now());
  });

  it('passes warnings through from the body builder', () => {
    const built = createBedrockAdapter().buildRequest({ ...request, seed: 3 }, target({ accessKeyId: 'AK' }));
    expect(built.warnings).toEqual([expect.objectContaining({ setting: 'seed' })]);
  });
});
