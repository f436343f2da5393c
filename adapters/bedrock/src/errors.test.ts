import { mapBedrockError, mapStreamException, sanitizeErrorType } from './errors';

describe('mapBedrockError', () => {
  it('never echoes AWS auth messages (they can quote the signed canonical request)', () => {
    const mapped = mapBedrockError(403, { message: 'Signature mismatch. Canonical: x-amz-security-token:SECRET-TOKEN' }, new Headers({ 'x-amzn-errortype': 'InvalidSignatureException' }));
    expect(mapped.code).toBe('GW_ERR_UPSTREAM_AUTH');
    expect(mapped.message).not.toContain('SECRET-TOKEN');
    expect(mapped.providerCode).toBe('InvalidSignatureException');
  });

  it('redacts access key ids and truncates long upstream messages', () => {
    const mapped = mapBedrockError(400, { message: `Bad input for AKIAABCDEFGHIJKLMNOP ${'x'.repeat(2000)}` }, new Headers({ 'x-amzn-errortype': 'ValidationException' }));
    expect(mapped.message).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(mapped.message.length).toBeLessThanOrEqual(520);
  });

  it('reads a JSON string body and the code field when there is no header', () => {
    const mapped = mapBedrockError(400, JSON.stringify({ code: 'ThrottlingException', message: 'slow down' }), new Headers());
    expect([mapped.code, mapped.retryable, mapped.message]).toEqual(['GW_ERR_UPSTREAM_RATE_LIMITED', true, 'Bedrock: slow down']);
  });

  it('falls back to the status for unknown types and unreadable bodies', () => {
    expect(mapBedrockError(418, 'teapot', new Headers({ 'x-amzn-errortype': 'BrandNewException' })).code).toBe('GW_ERR_UPSTREAM_BAD_REQUEST');
    expect(mapBedrockError(504, undefined, new Headers()).code).toBe('GW_ERR_UPSTREAM_TIMEOUT');
    expect(mapBedrockError(599, 42, new Headers()).code).toBe('GW_ERR_UPSTREAM_ERROR');
  });

  it('reads retry-after as an HTTP date, and ignores it on non-retryable errors or when invalid', () => {
    const future = new Date(Date.now() + 60_000).toUTCString();
    const wait = mapBedrockError(429, {}, new Headers({ 'retry-after': future })).retryAfterMs;
    expect(wait).toBeGreaterThan(50_000);
    expect(mapBedrockError(400, {}, new Headers({ 'retry-after': '5' })).retryAfterMs).toBeUndefined();
    expect(mapBedrockError(429, {}, new Headers({ 'retry-after': 'soon' })).retryAfterMs).toBeUndefined();
  });
});

describe('sanitizeErrorType', () => {
  it.each([
    ['ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/', 'ThrottlingException'],
    ['com.amazon.coral.validate#ValidationException', 'ValidationException'],
    ['  AccessDeniedException ', 'AccessDeniedException'],
  ])('%s -> %s', (raw, clean) => expect(sanitizeErrorType(raw)).toBe(clean));
});

describe('mapStreamException', () => {
  it.each([
    ['throttlingException', 'GW_ERR_UPSTREAM_RATE_LIMITED'],
    ['modelStreamErrorException', 'GW_ERR_UPSTREAM_ERROR'],
    ['validationException', 'GW_ERR_UPSTREAM_BAD_REQUEST'],
    ['serviceUnavailableException', 'GW_ERR_UPSTREAM_OVERLOADED'],
    ['internalServerException', 'GW_ERR_UPSTREAM_ERROR'],
    ['somethingNewException', 'GW_ERR_UPSTREAM_ERROR'],
  ])('%s -> %s', (type, code) => {
    expect(mapStreamException(type, { message: 'm' })).toEqual({ code, message: 'Bedrock: m' });
  });
  it('uses the catalogue message when the payload has none', () => {
    expect(mapStreamException('throttlingException', null).message).toBe('The upstream provider is rate limiting requests.');
  });
});
