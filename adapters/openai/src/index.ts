import type { ProviderAdapter } from '@portcullis/core';
import { createAzureOpenAIAdapter } from './azure-adapter';
import { createOpenAICompatibleAdapters } from './compatible-adapter';

export { createAzureOpenAIAdapter, AZURE_DEFAULT_API_VERSION } from './azure-adapter';
export { validateAzureCredentialOptions, ENTRA_DEFAULT_AUTHORITY_HOST, ENTRA_DEFAULT_SCOPE, type AzureAuthMode } from './azure-credential-options';
export { entraClientCredentials, buildEntraTokenRequest, parseEntraTokenResponse } from './entra-client-credentials';
export { createOpenAICompatibleAdapter, createOpenAICompatibleAdapters } from './compatible-adapter';
export { OPENAI_COMPATIBLE_PRESETS, type OpenAICompatiblePreset, type ParamRule } from './presets';
export { buildChatBody, type BodyOptions, type BuiltBody } from './request-body';
export { parseChatCompletion } from './parse-response';
export { createOpenAIStreamDecoder } from './stream-decoder';
export { createEmbeddingsAdapter, parseEmbeddings, decodeBase64Embedding } from './embeddings';
export { mapOpenAIError, upstreamCodeForStatus, readErrorDetail, streamErrorFromPayload } from './upstream-errors';
export { redactSecrets, REDACTED } from './redact';
export { parseRetryAfterMs } from './retry-after';
export { mapFinishReason } from './finish-reason';
export { mapUsage } from './usage';

/**
 * The AdapterModule shape the host loads by package name: the OpenAI-compatible presets, then
 * Azure OpenAI. Adapters hold no state, so one shared list is safe.
 */
export const adapters: ProviderAdapter[] = [...createOpenAICompatibleAdapters(), createAzureOpenAIAdapter()];
