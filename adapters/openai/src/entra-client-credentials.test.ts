import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError, type ResolvedCredential } from '@portcullis/core';
import { buildEntraTokenRequest, entraClientCredentials, parseEntraTokenResponse } from './entra-client-credentials';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'entra-token', name), 'utf8'));

const SECRET = 'Qx8~entra.client-secret_value+with/odd=chars';
const entra = (options: Record<string, string> = {}): ResolvedCredential => ({
  id: 'cred_az',
  name: 'az',
  secret: SECRET,
  options: { auth: 'entra', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '6731de76-14a6-49ae-97bc-6eba6914391e', ...options },
});

describe('Entra ID client credentials: the token request', () => {
  it('posts the form Microsoft documents to the v2.0 endpoint of the tenant', () => {
    const req = buildEntraTokenRequest(entra());
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(req.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: '6731de76-14a6-49ae-97bc-6eba6914391e',
      client_secret: SECRET, // form-encoding keeps +, / and = intact
      scope: 'https://cognitiveservices.azure.com/.default',
    });
  });

  it('honours a sovereign-cloud authority host and scope', () => {
    const req = buildEntraTokenRequest(entra({ authorityHost: 'https://login.microsoftonline.us/', scope: 'https://cognitiveservices.azure.us/.default', tenantId: 'contoso.onmicrosoft.com' }));
    expect(req.url).toBe('https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token');
    expect(new URLSearchParams(req.body).get('scope')).toBe('https://cognitiveservices.azure.us/.default');
  });

  it.each([
    ['tenantId', { tenantId: '' }],
    ['clientId', { clientId: '  ' }],
    ['authorityHost', { authorityHost: 'http://login.example.com' }],
    ['scope', { scope: 'https://cognitiveservices.azure.com' }],
  ])('refuses a credential with a bad %s, naming the option and not the secret', (option, options) => {
    let caught: unknown;
    try {
      buildEntraTokenRequest(entra(options));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).message).toContain(`option "${option}"`);
    expect((caught as GatewayError).message).not.toContain(SECRET);
  });

  it('applies only to credentials with auth: entra', () => {
    expect(entraClientCredentials.appliesTo(entra())).toBe(true);
    expect(entraClientCredentials.appliesTo({ ...entra(), options: {} })).toBe(false);
    expect(entraClientCredentials.appliesTo({ ...entra(), options: { auth: 'api-key' } })).toBe(false);
  });
});

describe('Entra ID client credentials: the token response', () => {
  it('reads the documented success shape', () => {
    expect(parseEntraTokenResponse(200, fixture('success.json'))).toEqual({
      ok: true,
      accessToken: (fixture('success.json') as { access_token: string }).access_token,
      expiresInMs: 3_599_000,
    });
  });

  it('accepts expires_in as a numeric string (older endpoints)', () => {
    const result = parseEntraTokenResponse(200, { token_type: 'Bearer', expires_in: '3600', access_token: 'abc' });
    expect(result).toEqual({ ok: true, accessToken: 'abc', expiresInMs: 3_600_000 });
  });

  it.each([
    ['no token', { token_type: 'Bearer', expires_in: 3599 }],
    ['not a bearer token', { token_type: 'pop', expires_in: 3599, access_token: 'abc' }],
    ['no lifetime', { token_type: 'Bearer', access_token: 'abc' }],
    ['a zero lifetime', { token_type: 'Bearer', expires_in: 0, access_token: 'abc' }],
    ['an HTML page', '<html>proxy</html>'],
  ])('treats a 200 with %s as a malformed, retryable answer', (_label, body) => {
    expect(parseEntraTokenResponse(200, body)).toEqual({ ok: false, reason: 'malformed token response', retryable: true });
  });

  it('reduces a wrong secret to its codes: no description, app id or trace ids', () => {
    const result = parseEntraTokenResponse(401, fixture('invalid-client.json'));
    expect(result).toEqual({ ok: false, reason: 'invalid_client, AADSTS7000215: invalid client secret', retryable: false });
  });

  it('names a bad scope', () => {
    expect(parseEntraTokenResponse(400, fixture('invalid-scope.json'))).toEqual({ ok: false, reason: 'invalid_scope, AADSTS1002012: invalid scope', retryable: false });
  });

  it.each([
    [503, { error: 'temporarily_unavailable', error_codes: [90033] }, true],
    [429, {}, true],
    [400, { error: 'temporarily_unavailable' }, true],
    [400, { error: 'invalid_request', error_codes: [900144] }, false],
  ])('HTTP %i %j is retryable: %s', (status, body, retryable) => {
    expect(parseEntraTokenResponse(status, body)).toMatchObject({ ok: false, retryable });
  });

  it('does not pass on an error field that is not an OAuth code', () => {
    const result = parseEntraTokenResponse(400, { error: `Bad secret ${SECRET}` });
    expect(result).toEqual({ ok: false, reason: 'unknown_error', retryable: false });
  });

  it('copes with a non-JSON error page', () => {
    expect(parseEntraTokenResponse(502, '<html>Bad Gateway</html>')).toEqual({ ok: false, reason: 'no OAuth error in the response', retryable: true });
  });
});
