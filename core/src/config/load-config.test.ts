import { ConfigError, interpolateEnv, parseConfig } from './load-config';

describe('interpolateEnv', () => {
  it('replaces ${NAME} and ${NAME:-default} in strings at any depth', () => {
    expect(interpolateEnv({ a: ['${X}', { b: 'pre-${Y:-fallback}-post' }] }, { X: 'x' })).toEqual({ a: ['x', { b: 'pre-fallback-post' }] });
  });
  it('names the path and the variable when one is missing', () => {
    expect(() => interpolateEnv({ credentials: [{ secret: '${OPENAI_API_KEY}' }] }, {})).toThrow('credentials[0].secret: environment variable OPENAI_API_KEY is not set');
  });
  it('cannot inject YAML structure: values are substituted after parsing', () => {
    const config = parseConfig('server: { host: "${EVIL}" }', { EVIL: '0.0.0.0", port: 1, "x": "y' });
    expect(config.server.host).toBe('0.0.0.0", port: 1, "x": "y');
    expect(config.server.port).toBe(8080);
  });
});

describe('parseConfig', () => {
  it('accepts the documented shape and fills defaults', () => {
    const config = parseConfig(`
credentials:
  - { name: openai-prod, provider: openai, secret: "\${OPENAI_API_KEY}", baseUrl: "http://127.0.0.1:4010/v1" }
projects:
  - name: OpenAI Proxy
    type: ai_wrapper
    providers: [ { provider: openai, credential: openai-prod } ]
    aliases:   [ { name: fast, target: "openai:gpt-4o-mini" } ]
    tokens:    [ { name: app, scopes: [chat, models] } ]
`, { OPENAI_API_KEY: 'sk-x' });
    expect(config.store).toEqual({ driver: 'embedded', path: './data/portcullis.db' });
    expect(config.projects[0]!.tokens[0]!.environment).toBe('live');
    expect(config.projects[0]!.aliases[0]!.fallbacks).toEqual([]);
    expect(config.credentials[0]!.secret).toBe('sk-x');
    expect(config.upstream).toBeUndefined();
  });

  it('takes upstream transport settings', () => {
    const config = parseConfig('upstream: { connectionsPerOrigin: 2000, headersTimeoutMs: 600000 }', {});
    expect(config.upstream).toEqual({ connectionsPerOrigin: 2000, headersTimeoutMs: 600000 });
  });

  it.each([
    ['an unknown key (a typo must not disable anything)', 'server: { prot: 8080 }', /server: Unrecognized key/],
    ['a bad alias target', 'projects: [ { name: p, type: ai_wrapper, aliases: [ { name: fast, target: gpt-4o } ] } ]', /projects.0.aliases.0.target: target must be provider:model/],
    ['a malformed pinned token', 'projects: [ { name: p, type: ai_wrapper, tokens: [ { name: t, scopes: [chat], value: secret } ] } ]', /projects.0.tokens.0.value/],
    ['an unknown store driver', 'store: { driver: postgres }', /store/],
    ['invalid YAML', 'server: [', /not valid YAML/],
    ['a zero connection cap', 'upstream: { connectionsPerOrigin: 0 }', /upstream.connectionsPerOrigin/],
    ['an unknown upstream key', 'upstream: { timeoutMs: 5 }', /upstream: Unrecognized key/],
  ])('refuses %s with a message naming the field', (_name, text, message) => {
    expect(() => parseConfig(text, {})).toThrow(ConfigError);
    expect(() => parseConfig(text, {})).toThrow(message);
  });
});
