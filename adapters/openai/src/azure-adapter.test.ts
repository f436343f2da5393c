import { GatewayError, type CanonicalChatRequest, type Target } from '@portcullis/core';
import { createAzureOpenAIAdapter } from './azure-adapter';

const req: CanonicalChatRequest = { model: 'alias', messages: [{ role: 'user', content: 'hi' }] };
const target = (options: Record<string, string>, baseUrl?: string): Target => ({
  provider: 'azure-openai',
  model: 'my deployment',
  ...(baseUrl ? { baseUrl } : {}),
  credential: { id: 'cred_az', name: 'az', secret: 'azure-secret-value', options },
});

describe('azure-openai adapter', () => {
  const adapter = createAzureOpenAIAdapter();

  it('builds the endpoint from resourceName and honours apiVersion, escaping the deployment', () => {
    const built = adapter.buildRequest(req, target({ resourceName: 'contoso', apiVersion: '2025-01-01-preview' }));
    expect(built.url).toBe('https://contoso.openai.azure.com/openai/deployments/my%20deployment/chat/completions?api-version=2025-01-01-preview');
    expect(built.headers).toMatchObject({ 'api-key': 'azure-secret-value' });
    expect(built.headers).not.toHaveProperty('authorization');
  });

  it('refuses a binding with no endpoint, without leaking the secret', () => {
    expect(() => adapter.buildRequest(req, target({}))).toThrow(GatewayError);
    try {
      adapter.buildRequest(req, target({}));
    } catch (err) {
      expect((err as GatewayError).message).not.toContain('azure-secret-value');
    }
  });
});

describe('azure-openai adapter with Entra ID', () => {
  const adapter = createAzureOpenAIAdapter();
  const entraOptions = { resourceName: 'contoso', auth: 'entra', tenantId: 'tenant-1', clientId: 'client-1' };
  const withToken = (accessToken?: string): Target => {
    const t = target(entraOptions);
    return { ...t, credential: { ...t.credential, ...(accessToken ? { accessToken } : {}) } };
  };

  it('sends the access token as a Bearer header instead of api-key (chat and embeddings)', () => {
    const built = adapter.buildRequest(req, withToken('eyJ.access.token'));
    expect(built.headers.authorization).toBe('Bearer eyJ.access.token');
    expect(built.headers).not.toHaveProperty('api-key');
    expect(JSON.stringify(built)).not.toContain('azure-secret-value');
    const embeddings = adapter.embeddings!.buildRequest({ model: 'alias', input: 'x' }, withToken('eyJ.access.token'));
    expect(embeddings.headers.authorization).toBe('Bearer eyJ.access.token');
    expect(embeddings.headers).not.toHaveProperty('api-key');
  });

  it('never falls back to sending the client secret as api-key when no token was obtained', () => {
    expect(() => adapter.buildRequest(req, withToken())).toThrow(/Entra ID, but no access token/);
    try {
      adapter.buildRequest(req, withToken());
    } catch (err) {
      expect((err as GatewayError).message).not.toContain('azure-secret-value');
    }
  });

  it('keeps api-key auth for credentials without auth or with auth: api-key, ignoring a stray token', () => {
    for (const options of [{ resourceName: 'contoso' }, { resourceName: 'contoso', auth: 'api-key' }] as Record<string, string>[]) {
      const t = target(options);
      const built = adapter.buildRequest(req, { ...t, credential: { ...t.credential, accessToken: 'ignored' } });
      expect(built.headers['api-key']).toBe('azure-secret-value');
      expect(built.headers).not.toHaveProperty('authorization');
    }
  });

  it('refuses an unknown auth mode, naming the option', () => {
    expect(() => adapter.buildRequest(req, target({ resourceName: 'contoso', auth: 'entraid' }))).toThrow(/option "auth" must be "api-key" \(the default\) or "entra"/);
  });

  it('declares the exchange and validates credential options for config writers', () => {
    expect(adapter.credentialExchange?.appliesTo(withToken().credential)).toBe(true);
    expect(adapter.credentialExchange?.appliesTo(target({ resourceName: 'contoso' }).credential)).toBe(false);
    expect(adapter.validateCredentialOptions?.({ auth: 'entra' })).toEqual([
      { option: 'tenantId', message: expect.stringContaining('required') },
      { option: 'clientId', message: expect.stringContaining('required') },
    ]);
    expect(adapter.validateCredentialOptions?.({ auth: 'entra', tenantId: 'common', clientId: 'c' })).toEqual([{ option: 'tenantId', message: expect.stringContaining('must name your tenant') }]);
    expect(adapter.validateCredentialOptions?.({ auth: 'entra', tenantId: 't/../x', clientId: 'c' })).toEqual([{ option: 'tenantId', message: expect.stringContaining('GUID') }]);
    expect(adapter.validateCredentialOptions?.({ auth: 'entra', tenantId: 't', clientId: 'c', authorityHost: 'https://login.microsoftonline.com/t' })).toEqual([
      { option: 'authorityHost', message: expect.stringContaining('host alone') },
    ]);
    expect(adapter.validateCredentialOptions?.({ auth: 'entra', tenantId: 't', clientId: 'c', authorityHost: 'not a url' })).toEqual([{ option: 'authorityHost', message: expect.stringContaining('URL') }]);
    expect(adapter.validateCredentialOptions?.({ auth: 'entra', tenantId: 't', clientId: 'c', authorityHost: 'http://127.0.0.1:4000' })).toEqual([]);
    expect(adapter.validateCredentialOptions?.({ resourceName: 'contoso' })).toEqual([]);
    expect(adapter.validateCredentialOptions?.({ auth: 'key' })).toEqual([{ option: 'auth', message: expect.any(String) }]);
  });
});
