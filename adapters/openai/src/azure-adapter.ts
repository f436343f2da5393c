import {
  ADAPTER_SPEC_VERSION,
  GatewayError,
  type CanonicalChatRequest,
  type ProviderAdapter,
  type Target,
  type UpstreamRequest,
} from '@portcullis/core';
import { azureAuthMode, validateAzureCredentialOptions } from './azure-credential-options';
import { joinUrl } from './base-url';
import { createEmbeddingsAdapter } from './embeddings';
import { entraClientCredentials } from './entra-client-credentials';
import { parseChatCompletion } from './parse-response';
import { buildChatBody } from './request-body';
import { createOpenAIStreamDecoder } from './stream-decoder';
import { mapOpenAIError } from './upstream-errors';

/** The latest GA data-plane version when this adapter was written. */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

/**
 * The resource endpoint: the binding's baseUrl (`https://<resource>.openai.azure.com`), or
 * built from the credential's `resourceName` option. Without either there is nowhere to go.
 */
function azureBaseUrl(target: Target): string {
  if (target.baseUrl) return target.baseUrl;
  const resource = target.credential.options.resourceName;
  if (resource) return `https://${encodeURIComponent(resource)}.openai.azure.com`;
  throw new GatewayError('GW_ERR_INTERNAL', {
    message: 'The azure-openai binding has no base URL.',
    details: { why: 'azure-openai needs baseUrl or credential option resourceName', credential: target.credential.id },
  });
}

function deploymentUrl(target: Target, operation: 'chat/completions' | 'embeddings'): string {
  const apiVersion = target.credential.options.apiVersion ?? AZURE_DEFAULT_API_VERSION;
  const path = `openai/deployments/${encodeURIComponent(target.model)}/${operation}`;
  return `${joinUrl(azureBaseUrl(target), path)}?api-version=${encodeURIComponent(apiVersion)}`;
}

/**
 * Azure takes either `api-key` (the default) or, with `auth: entra`, `Authorization: Bearer`
 * with the token the host obtained through `entraClientCredentials`. An Entra credential never
 * falls back to api-key: its secret is a client secret and must not be sent anywhere else.
 */
function azureHeaders(target: Target): Record<string, string> {
  if (azureAuthMode(target.credential) === 'api-key') return { 'api-key': target.credential.secret };
  const token = target.credential.accessToken;
  if (!token) {
    throw new GatewayError('GW_ERR_INTERNAL', {
      message: 'The azure-openai credential uses Entra ID, but no access token was obtained for it.',
      details: { why: 'the host did not run the credential exchange', credential: target.credential.id },
    });
  }
  return { authorization: `Bearer ${token}` };
}

export function createAzureOpenAIAdapter(): ProviderAdapter {
  return {
    specVersion: ADAPTER_SPEC_VERSION,
    providers: ['azure-openai'],
    capabilities: { tools: true, streaming: true, images: true, json_mode: true, json_schema: true, logprobs: true, n: true, seed: true, embeddings: true },
    buildRequest(req: CanonicalChatRequest, target: Target): UpstreamRequest {
      // The deployment (target.model) is in the URL; Azure ignores or rejects `model` in the body.
      const { body, warnings } = buildChatBody(req, { model: undefined, acceptsStreamOptions: true, params: {} });
      return {
        method: 'POST',
        url: deploymentUrl(target, 'chat/completions'),
        headers: { 'content-type': 'application/json', accept: req.stream ? 'text/event-stream' : 'application/json', ...azureHeaders(target) },
        body: JSON.stringify(body),
        warnings,
      };
    },
    parseResponse: parseChatCompletion,
    createStreamDecoder: () => createOpenAIStreamDecoder(),
    mapError: mapOpenAIError,
    credentialExchange: entraClientCredentials,
    validateCredentialOptions: validateAzureCredentialOptions,
    embeddings: createEmbeddingsAdapter({
      url: (target) => deploymentUrl(target, 'embeddings'),
      headers: azureHeaders,
      sendsModel: false,
    }),
  };
}
