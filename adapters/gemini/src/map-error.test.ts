import { mapGeminiError, mapInBandError, parseDuration } from './map-error';

const body = (status: number, name: string, message: string) => ({ error: { code: status, message, status: name } });

describe('mapGeminiError', () => {
  it('passes request problems through with the key pattern scrubbed, and keeps the Google status as providerCode', () => {
    const key = 'AIzaSyA1234567890abcdefghijklmnopqrstuv';
    const mapped = mapGeminiError(400, body(400, 'INVALID_ARGUMENT', `Bad value near ${key}`), new Headers());
    expect(mapped.message).toBe('Gemini: Bad value near [redacted]');
    expect(mapped.message).not.toContain(key);
    expect(mapped.providerCode).toBe('INVALID_ARGUMENT');
  });

  it('never passes auth or server details through: the catalogue message is used', () => {
    const auth = mapGeminiError(400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }, new Headers());
    expect(auth.code).toBe('GW_ERR_UPSTREAM_AUTH');
    expect(auth.message).toBe('The upstream provider rejected the gateway credential.');
    const internal = mapGeminiError(500, body(500, 'INTERNAL', 'stack trace at foo.cc:12'), new Headers());
    expect(internal.message).not.toContain('foo.cc');
  });

  it('reads an error body that arrives as a JSON string', () => {
    const mapped = mapGeminiError(404, JSON.stringify(body(404, 'NOT_FOUND', 'models/x is not found')), new Headers());
    expect(mapped).toMatchObject({ code: 'GW_ERR_UPSTREAM_NOT_FOUND', message: 'Gemini: models/x is not found' });
  });

  it('maps an unexpected 4xx to a bad request and an unexpected 5xx to an upstream error', () => {
    expect(mapGeminiError(413, null, new Headers()).code).toBe('GW_ERR_UPSTREAM_BAD_REQUEST');
    expect(mapGeminiError(501, undefined, new Headers())).toMatchObject({ code: 'GW_ERR_UPSTREAM_ERROR', retryable: true });
  });

  it('takes a retry hint only for retryable errors and ignores malformed ones', () => {
    expect(mapGeminiError(503, body(503, 'UNAVAILABLE', 'x'), new Headers({ 'retry-after': '4' })).retryAfterMs).toBe(4000);
    expect(mapGeminiError(400, body(400, 'INVALID_ARGUMENT', 'x'), new Headers({ 'retry-after': '4' })).retryAfterMs).toBeUndefined();
    expect(mapGeminiError(429, body(429, 'RESOURCE_EXHAUSTED', 'x'), new Headers({ 'retry-after': 'soon' })).retryAfterMs).toBeUndefined();
  });
});

describe('mapInBandError', () => {
  it('uses the code in the body, or the Google status name when the code is missing', () => {
    expect(mapInBandError(body(429, 'RESOURCE_EXHAUSTED', 'x')).code).toBe('GW_ERR_UPSTREAM_RATE_LIMITED');
    expect(mapInBandError({ error: { status: 'DEADLINE_EXCEEDED', message: 'x' } }).code).toBe('GW_ERR_UPSTREAM_TIMEOUT');
    expect(mapInBandError({ error: {} }).code).toBe('GW_ERR_UPSTREAM_ERROR');
  });
});

describe('parseDuration', () => {
  it('reads proto Durations and rejects anything else', () => {
    expect(parseDuration('37s')).toBe(37000);
    expect(parseDuration('0.25s')).toBe(250);
    expect(parseDuration('37')).toBeUndefined();
    expect(parseDuration(37)).toBeUndefined();
  });
});
