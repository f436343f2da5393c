import { mapAnthropicError, parseRetryAfterMs } from './map-error';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const body = (type: string, message: string) => ({ type: 'error', error: { type, message } });

describe('mapAnthropicError', () => {
  it('reads retry-after as seconds, as an HTTP date, and retry-after-ms first', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '3' }), NOW)).toBe(3000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }), NOW)).toBe(10_000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '3', 'retry-after-ms': '1500' }), NOW)).toBe(1500);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '-1' }), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers(), NOW)).toBeUndefined();
  });

  it('keeps the upstream type as providerCode and its message (safe kinds only)', () => {
    const mapped = mapAnthropicError(400, body('invalid_request_error', 'max_tokens: Field required'), new Headers(), NOW);
    expect(mapped.providerCode).toBe('invalid_request_error');
    expect(mapped.message).toContain('max_tokens: Field required');
    expect(mapped.param).toBeNull();
  });

  it('never repeats the upstream text for auth errors, and redacts Anthropic keys elsewhere', () => {
    const auth = mapAnthropicError(401, body('authentication_error', 'invalid x-api-key sk-ant-api03-abc'), new Headers(), NOW);
    expect(auth.message).not.toContain('sk-ant');
    expect(auth.message).not.toContain('invalid x-api-key');
    const other = mapAnthropicError(400, body('invalid_request_error', 'bad key sk-ant-api03-XYZ_1-2 here'), new Headers(), NOW);
    expect(other.message).toContain('bad key [redacted] here');
    expect(other.message).not.toContain('XYZ');
  });

  it('truncates very long upstream messages', () => {
    const mapped = mapAnthropicError(400, body('invalid_request_error', 'x'.repeat(5000)), new Headers(), NOW);
    expect(mapped.message.length).toBeLessThan(700);
  });

  it('parses error bodies that arrive as JSON text', () => {
    const mapped = mapAnthropicError(529, JSON.stringify(body('overloaded_error', 'Overloaded')), new Headers(), NOW);
    expect([mapped.code, mapped.providerCode]).toEqual(['GW_ERR_UPSTREAM_OVERLOADED', 'overloaded_error']);
  });

  it('prefers the error type over the status, and classifies unknown types by status', () => {
    expect(mapAnthropicError(500, body('overloaded_error', 'x'), new Headers(), NOW).code).toBe('GW_ERR_UPSTREAM_OVERLOADED');
    expect(mapAnthropicError(409, body('conflict_error', 'x'), new Headers(), NOW).code).toBe('GW_ERR_UPSTREAM_BAD_REQUEST');
    expect(mapAnthropicError(503, body('new_error', 'x'), new Headers(), NOW).code).toBe('GW_ERR_UPSTREAM_OVERLOADED');
  });

  it('does not include non-JSON bodies (HTML from a proxy) in the message', () => {
    const mapped = mapAnthropicError(502, '<html>secret internals</html>', new Headers(), NOW);
    expect(mapped.message).not.toContain('html');
    expect(mapped.providerCode).toBeUndefined();
  });
});
