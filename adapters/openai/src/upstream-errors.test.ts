import { mapOpenAIError, readErrorDetail, streamErrorFromPayload, upstreamCodeForStatus } from './upstream-errors';
import { redactSecrets } from './redact';
import { parseRetryAfterMs } from './retry-after';

const KEY = 'sk-proj-Abc123def456Ghi789jkl012Mno345pqr678';

describe('redactSecrets', () => {
  it.each([
    [`Incorrect API key provided: ${KEY}. You can find your API key at https://x`, KEY],
    ['Incorrect API key provided: sk-abc1*************************wxyz.', 'sk-abc1'],
    ['header was Bearer gsk_live_0123456789abcdef', 'gsk_live_0123456789abcdef'],
    ['api-key=7f3a9c2e1b4d4e8f9a0b1c2d3e4f5a6b rejected', '7f3a9c2e1b4d4e8f9a0b1c2d3e4f5a6b'],
    ['together key 3f1e0d9c8b7a69584736251403f2e1d0c9b8a7f6e5d4c3b2a1908f7e6d5c4b3a is invalid', '3f1e0d9c8b7a6958'],
    ['xai key xai-AbCdEf0123456789 revoked', 'xai-AbCdEf0123456789'],
  ])('removes the key from %j', (text, secret) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED]');
  });

  it('leaves ordinary prose, model names and URLs alone', () => {
    const text = "The model `meta-llama/Llama-3.3-70B-Instruct-Turbo` does not exist; see https://platform.openai.com/docs.";
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('mapOpenAIError', () => {
  it('never puts an echoed key into the message (401 from OpenAI)', () => {
    const body = { error: { message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
    const mapped = mapOpenAIError(401, body, new Headers());
    expect(mapped.code).toBe('GW_ERR_UPSTREAM_AUTH');
    expect(mapped.status).toBe(502);
    expect(mapped.message).not.toContain(KEY);
    expect(mapped.message).not.toMatch(/sk-[A-Za-z0-9]/);
    expect(mapped.message).toContain('rejected the gateway credential');
    expect(mapped.providerCode).toBe('invalid_api_key');
  });

  it('redacts keys echoed in a 400 message too (the message is shown to clients)', () => {
    const body = JSON.stringify({ error: { message: `Bad header Bearer ${KEY}`, type: 'invalid_request_error', param: null, code: null } });
    const mapped = mapOpenAIError(400, body, new Headers());
    expect(mapped.message).toBe('Bad header Bearer [REDACTED]');
  });

  it('keeps the offending param and the upstream explanation for context-length errors', () => {
    const body = { error: { message: 'maximum context length is 8192 tokens', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } };
    const mapped = mapOpenAIError(400, body, new Headers());
    expect(mapped).toEqual({ code: 'GW_ERR_UPSTREAM_CONTEXT_LENGTH', status: 400, retryable: false, message: 'maximum context length is 8192 tokens', providerCode: 'context_length_exceeded', param: 'messages' });
  });

  it('uses the catalogue message for an HTML body and does not echo the HTML', () => {
    const mapped = mapOpenAIError(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', new Headers());
    expect(mapped.code).toBe('GW_ERR_UPSTREAM_ERROR');
    expect(mapped.message).toBe('The upstream provider returned an error.');
  });

  it('handles bodies that are null, numbers, arrays and truncated JSON', () => {
    for (const body of [null, 42, [], '{"error": {"mess', undefined]) {
      const mapped = mapOpenAIError(500, body, new Headers());
      expect(mapped.code).toBe('GW_ERR_UPSTREAM_ERROR');
      expect(mapped.message).toBe('The upstream provider returned an error.');
    }
  });

  it('reads an envelope wrapped in an array (some vendors do this)', () => {
    expect(readErrorDetail([{ error: { message: 'nope', code: 'x' } }])).toEqual({ message: 'nope', code: 'x' });
  });

  it('clips very long upstream messages', () => {
    const mapped = mapOpenAIError(400, { error: { message: 'a '.repeat(2000) } }, new Headers());
    expect(mapped.message.length).toBeLessThanOrEqual(503);
  });

  it('only attaches retryAfterMs to retryable errors', () => {
    expect(mapOpenAIError(429, {}, new Headers({ 'retry-after': '3' })).retryAfterMs).toBe(3000);
    expect(mapOpenAIError(400, {}, new Headers({ 'retry-after': '3' })).retryAfterMs).toBeUndefined();
  });

  it.each([
    [400, 'GW_ERR_UPSTREAM_BAD_REQUEST'],
    [401, 'GW_ERR_UPSTREAM_AUTH'],
    [403, 'GW_ERR_UPSTREAM_FORBIDDEN'],
    [404, 'GW_ERR_UPSTREAM_NOT_FOUND'],
    [408, 'GW_ERR_UPSTREAM_TIMEOUT'],
    [429, 'GW_ERR_UPSTREAM_RATE_LIMITED'],
    [500, 'GW_ERR_UPSTREAM_ERROR'],
    [502, 'GW_ERR_UPSTREAM_ERROR'],
    [503, 'GW_ERR_UPSTREAM_OVERLOADED'],
    [504, 'GW_ERR_UPSTREAM_TIMEOUT'],
    [529, 'GW_ERR_UPSTREAM_OVERLOADED'],
    [599, 'GW_ERR_UPSTREAM_ERROR'],
  ])('status %i -> %s', (status, code) => {
    expect(upstreamCodeForStatus(status)).toBe(code);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delta-seconds, fractional seconds and retry-after-ms', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now)).toBe(30_000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now)).toBe(0);
  });
  it('ignores absent, empty, negative and nonsense values', () => {
    expect(parseRetryAfterMs(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '' }), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after-ms': '-5' }), now)).toBeUndefined();
  });
});

describe('streamErrorFromPayload', () => {
  it('maps known in-band error codes and falls back to the generic upstream error', () => {
    expect(streamErrorFromPayload({ error: { message: 'slow down', type: 'rate_limit_error' } })).toMatchObject({ code: 'GW_ERR_UPSTREAM_RATE_LIMITED', status: 429, retryable: true });
    expect(streamErrorFromPayload({ error: { message: 'boom', type: 'mystery' } })).toMatchObject({ code: 'GW_ERR_UPSTREAM_ERROR', status: 502 });
    expect(streamErrorFromPayload({ error: `leaked ${KEY}` }).message).not.toContain(KEY);
  });
});
