import type { CredentialExchange, ProviderAdapter } from '../spec/adapter';
import type { ConfigSnapshot } from '../spec/plugin';
import type { AliasRecord, CredentialRecord, ProviderBindingRecord } from '../spec/store';
import { emptySnapshot } from '../config/snapshot';
import { EnvelopeSecretBox } from '../security/envelope';
import { CredentialCache, ModelRouter } from './model-router';

const secrets = new EnvelopeSecretBox('router-test-app-key-000000');
const now = '2026-01-01T00:00:00.000Z';
const adapter = (id: string) => ({ providers: [id] }) as unknown as ProviderAdapter;
const router = new ModelRouter(new Map(['openai', 'anthropic', 'groq'].map((id) => [id, adapter(id)])), new CredentialCache(secrets));

const credential = (id: string, provider: string): CredentialRecord => ({
  id, name: id, provider, secretEnc: secrets.encrypt(`secret-${id}`), hint: '…', options: {}, createdAt: now, updatedAt: now,
});
const binding = (provider: string, enabled = true): ProviderBindingRecord => ({
  id: `b-${provider}`, projectId: 'p1', provider, credentialId: `c-${provider}`, enabled, createdAt: now, updatedAt: now,
});
const alias = (name: string, target: string, fallbacks: string[] = []): AliasRecord => ({
  id: `a-${name}`, projectId: 'p1', name, target, fallbacks, presets: {}, createdAt: now, updatedAt: now,
});
const snapshot: ConfigSnapshot = {
  ...emptySnapshot(),
  credentials: new Map(['openai', 'anthropic', 'groq'].map((p) => [`c-${p}`, credential(`c-${p}`, p)])),
  bindings: new Map([['p1', new Map([['openai', binding('openai')], ['anthropic', binding('anthropic')], ['groq', binding('groq', false)]])]]),
  aliases: new Map([['p1', new Map([['fast', alias('fast', 'openai:gpt-4o-mini', ['groq:llama', 'anthropic:claude-haiku-4-5'])]])]]),
};

describe('ModelRouter.resolve', () => {
  it.each([
    ['fast', 'gpt-4o-mini'],
    ['portcullis:fast', 'gpt-4o-mini'],
    ['alias:fast', 'gpt-4o-mini'],
    ['openai:gpt-4o', 'gpt-4o'],
    ['openai/gpt-4o', 'gpt-4o'],
    ['anthropic:claude-sonnet-4-5', 'claude-sonnet-4-5'],
  ])('%s resolves to %s', (model, upstream) => {
    const route = router.resolve(snapshot, 'p1', model);
    expect(route.targets[0]!.model).toBe(upstream);
    expect(route.targets[0]!.credential.secret).toMatch(/^secret-c-/);
  });

  it('keeps a model id with slashes after the provider (together/meta-llama/...)', () => {
    expect(router.resolve(snapshot, 'p1', 'openai/org/model-x').targets[0]!.model).toBe('org/model-x');
  });

  it('skips disabled fallbacks instead of failing the request', () => {
    expect(router.resolve(snapshot, 'p1', 'fast').targets.map((t) => t.provider)).toEqual(['openai', 'anthropic']);
  });

  it.each([
    ['', 'GW_ERR_MODEL_MISSING'],
    ['nope', 'GW_ERR_MODEL_NOT_FOUND'],
    ['acme:model', 'GW_ERR_PROVIDER_UNKNOWN'],
    ['groq:llama', 'GW_ERR_PROVIDER_DISABLED'],
  ])('%j fails with %s', (model, code) => {
    expect(() => router.resolve(snapshot, 'p1', model)).toThrow(expect.objectContaining({ code }));
  });

  it('never resolves another project’s aliases or bindings', () => {
    expect(() => router.resolve(snapshot, 'p2', 'fast')).toThrow(expect.objectContaining({ code: 'GW_ERR_MODEL_NOT_FOUND' }));
    expect(() => router.resolve(snapshot, 'p2', 'openai:gpt-4o')).toThrow(expect.objectContaining({ code: 'GW_ERR_PROVIDER_DISABLED' }));
  });
});

describe('ModelRouter.resolveRefs', () => {
  it('uses a named credential over the project binding, and the binding otherwise', () => {
    const route = router.resolveRefs(snapshot, 'p1', 'slug', [{ provider: 'anthropic', model: 'claude', credential: 'c-anthropic' }, { provider: 'openai', model: 'gpt' }]);
    expect(route.targets.map((t) => [t.provider, t.credential.id])).toEqual([['anthropic', 'c-anthropic'], ['openai', 'c-openai']]);
  });
  it('refuses a credential of another provider', () => {
    expect(() => router.resolveRefs(snapshot, 'p1', 'slug', [{ provider: 'openai', model: 'gpt', credential: 'c-anthropic' }])).toThrow(expect.objectContaining({ code: 'GW_ERR_PROVIDER_DISABLED' }));
  });
});

describe('ModelRouter and credential exchanges', () => {
  const exchange: CredentialExchange = {
    appliesTo: (c) => c.options.auth === 'entra',
    buildTokenRequest: () => ({ method: 'POST', url: 'http://127.0.0.1:9/token', headers: {}, body: 'x', warnings: [] }),
    parseTokenResponse: () => ({ ok: true, accessToken: 'tok', expiresInMs: 60_000 }),
  };
  const azure = { providers: ['azure-openai'], credentialExchange: exchange } as unknown as ProviderAdapter;
  const exchanging = new ModelRouter(new Map([['openai', adapter('openai')], ['azure-openai', azure]]), new CredentialCache(secrets));
  const withAzure = (options: Record<string, string>): ConfigSnapshot => ({
    ...snapshot,
    credentials: new Map([...snapshot.credentials, ['c-azure-openai', { ...credential('c-azure-openai', 'azure-openai'), options }]]),
    bindings: new Map([['p1', new Map([...snapshot.bindings.get('p1')!, ['azure-openai', binding('azure-openai')]])]]),
  });

  it('gives a token source only to targets whose credential needs the exchange', () => {
    expect(exchanging.resolve(withAzure({ auth: 'entra' }), 'p1', 'azure-openai:dep').targets[0]!.tokenSource).toBeDefined();
    expect(exchanging.resolve(withAzure({}), 'p1', 'azure-openai:dep').targets[0]!.tokenSource).toBeUndefined();
    expect(exchanging.resolve(withAzure({ auth: 'entra' }), 'p1', 'openai:gpt-4o').targets[0]).not.toHaveProperty('tokenSource');
    const refs = exchanging.resolveRefs(withAzure({ auth: 'entra' }), 'p1', 'slug', [{ provider: 'azure-openai', model: 'dep', credential: 'c-azure-openai' }]);
    expect(refs.targets[0]!.tokenSource).toBeDefined();
  });
});
