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
