import { parseTokenResponse, TokenEndpointError } from './token-endpoint';

describe('parseTokenResponse', () => {
  it('reads a JSON grant and canonicalises the token type', () => {
    expect(parseTokenResponse(200, 'application/json', JSON.stringify({ access_token: 'a', refresh_token: 'r', token_type: 'bearer', expires_in: 28800 }))).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      tokenType: 'Bearer',
      expiresIn: 28800,
    });
  });
  it('reads a form-encoded grant (GitHub without Accept: application/json)', () => {
    expect(parseTokenResponse(200, 'application/x-www-form-urlencoded', 'access_token=gho_x&scope=repo&token_type=bearer')).toEqual({
      accessToken: 'gho_x',
      refreshToken: null,
      tokenType: 'Bearer',
      expiresIn: null,
    });
  });
  it('treats an HTTP 200 carrying `error` as a refusal (GitHub)', () => {
    expect(() => parseTokenResponse(200, 'application/json', JSON.stringify({ error: 'bad_refresh_token', error_description: 'The refresh token passed is incorrect or expired.' }))).toThrow(
      expect.objectContaining({ code: 'bad_refresh_token' }),
    );
  });
  it.each([
    [400, 'application/json', '{"error":"invalid_grant"}', 'invalid_grant'],
    [500, 'text/plain', 'oops', 'http_error'],
    [200, 'application/json', '{"token_type":"bearer"}', 'invalid_response'],
    [200, 'application/json', '{not json', 'invalid_response'],
  ])('refuses status %s body %s', (status, type, body, code) => {
    let caught: unknown;
    try {
      parseTokenResponse(status, type, body);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TokenEndpointError);
    expect((caught as TokenEndpointError).code).toBe(code);
  });
});
