import { validateProxyEndpointConfig } from './endpoint-config';

const errorsOf = (config: unknown): string[] => {
  const result = validateProxyEndpointConfig(config);
  return result.ok ? [] : result.errors;
};

describe('validateProxyEndpointConfig', () => {
  it('fills defaults for a minimal public upstream', () => {
    const result = validateProxyEndpointConfig({ upstream: 'https://api.github.com' });
    expect(result).toEqual({
      ok: true,
      config: { upstream: 'https://api.github.com', methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], blockHeaders: [], injectHeaders: {}, timeoutMs: 30_000, preserveQuery: true, ssrfAllow: [] },
    });
  });

  it('lower-cases header names', () => {
    const result = validateProxyEndpointConfig({ upstream: 'https://a.example', forwardHeaders: ['Accept'], injectHeaders: { 'X-Api-Version': '1' } });
    expect(result.ok && result.config.forwardHeaders).toEqual(['accept']);
    expect(result.ok && result.config.injectHeaders).toEqual({ 'x-api-version': '1' });
  });

  it.each([
    [{ upstream: 'http://169.254.169.254/latest' }, 'upstream'],
    [{ upstream: 'http://localhost:8080' }, 'upstream'],
    [{ upstream: 'http://[::ffff:127.0.0.1]/' }, 'upstream'],
    [{ upstream: 'file:///etc/passwd' }, 'upstream'],
    [{ upstream: 'https://a.example/#frag' }, 'upstream'],
    [{ upstream: 'https://a.example', ssrfAllow: ['10.0.0.0/99'] }, 'ssrfAllow'],
    [{ upstream: 'https://a.example', methods: ['TRACE'] }, 'methods'],
    [{ upstream: 'https://a.example', methods: [] }, 'methods'],
    [{ upstream: 'https://a.example', timeoutMs: 10 }, 'timeoutMs'],
    [{ upstream: 'https://a.example', stripPrefix: 'v3' }, 'stripPrefix'],
    [{ upstream: 'https://a.example', injectHeaders: { host: 'evil.example' } }, 'injectHeaders.host'],
    [{ upstream: 'https://a.example', injectHeaders: { 'transfer-encoding': 'chunked' } }, 'injectHeaders.transfer-encoding'],
    [{ upstream: 'https://a.example', injectHeaders: { 'content-length': '1' } }, 'injectHeaders.content-length'],
    [{ upstream: 'https://a.example', injectHeaders: { 'x-a': 'line\r\nbreak' } }, 'injectHeaders'],
    [{ upstream: 'https://a.example', injectHeaders: { authorization: 'Bearer x' }, oauthConnection: 'github' }, 'injectHeaders.authorization'],
    [{ upstream: 'https://a.example', forwardHeaders: ['cookie'] }, 'forwardHeaders'],
    [{ upstream: 'https://a.example', forwardHeaders: ['bad header'] }, 'forwardHeaders'],
    [{ upstream: 'https://a.example', unknownKey: true }, '(config)'],
    [{}, 'upstream'],
  ])('refuses %j (at %s)', (config, path) => {
    const errors = errorsOf(config);
    expect(errors.some((e) => e.startsWith(path))).toBe(true);
  });

  it('accepts a private upstream the operator allow-listed, and an injected upstream credential', () => {
    expect(errorsOf({ upstream: 'http://127.0.0.1:8080', ssrfAllow: ['127.0.0.1'] })).toEqual([]);
    expect(errorsOf({ upstream: 'https://a.example', injectHeaders: { authorization: 'Bearer upstream-key' } })).toEqual([]);
  });
});
