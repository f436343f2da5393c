import type { ProviderCapability } from '@portcullis/core';

/**
 * How a request parameter fares at a vendor:
 *  - `drop`           never sent (the vendor rejects or ignores it), with a warning
 *  - `drop-unless-one` sent only when its value is 1 (`n`: single choice only)
 *  - `{ renameTo }`   sent under the vendor's own name (Mistral's `random_seed`)
 */
export type ParamRule = 'drop' | 'drop-unless-one' | { renameTo: string };

/** One OpenAI-compatible vendor, declared as data; the adapter code is shared. */
export interface OpenAICompatiblePreset {
  /** Provider id as configured (`groq`, `mistral`, ...). */
  id: string;
  defaultBaseUrl: string;
  /** Local servers (Ollama) take no key: send no Authorization header when the secret is empty. */
  requiresKey: boolean;
  /** Whether `stream_options: {include_usage}` is accepted; otherwise it is not sent. */
  acceptsStreamOptions: boolean;
  /** Canonical request parameters the vendor does not take as OpenAI does. */
  params: Readonly<Record<string, ParamRule>>;
  /** The vendor rejects `messages[].name` (Groq returns 400). */
  rejectsMessageName?: boolean;
  /** Sends `OpenAI-Organization` / `OpenAI-Project` from credential options (OpenAI only). */
  organizationHeaders?: boolean;
  embeddings: boolean;
  capabilities: Partial<Record<ProviderCapability, boolean>>;
}

const FULL: Partial<Record<ProviderCapability, boolean>> = {
  tools: true,
  streaming: true,
  images: true,
  json_mode: true,
  json_schema: true,
  logprobs: true,
  n: true,
  seed: true,
  embeddings: true,
};

/**
 * Sources (checked 2025): platform.openai.com API reference; console.groq.com/docs/openai
 * ("logprobs, logit_bias, top_logprobs, messages[].name not supported; n must be 1");
 * Mistral's chat API (random_seed, max_tokens; no logprobs/logit_bias/user/stream_options;
 * unknown fields are rejected); docs.ollama.com/api/openai-compatibility (logprobs and
 * stream_options.include_usage supported; no logit_bias, single choice). Together, xAI and
 * DeepInfra document OpenAI's parameters; where unsure we keep the parameter and let the
 * vendor answer.
 */
export const OPENAI_COMPATIBLE_PRESETS: readonly OpenAICompatiblePreset[] = [
  {
    id: 'openai',
    defaultBaseUrl: 'https://api.openai.com/v1',
    requiresKey: true,
    acceptsStreamOptions: true,
    params: {},
    organizationHeaders: true,
    embeddings: true,
    capabilities: FULL,
  },
  {
    id: 'groq',
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    requiresKey: true,
    acceptsStreamOptions: true,
    params: { logprobs: 'drop', top_logprobs: 'drop', logit_bias: 'drop', n: 'drop-unless-one' },
    rejectsMessageName: true,
    embeddings: false,
    capabilities: { ...FULL, logprobs: false, n: false, embeddings: false },
  },
  {
    id: 'together',
    defaultBaseUrl: 'https://api.together.xyz/v1',
    requiresKey: true,
    acceptsStreamOptions: true,
    params: {},
    embeddings: true,
    capabilities: FULL,
  },
  {
    id: 'xai',
    defaultBaseUrl: 'https://api.x.ai/v1',
    requiresKey: true,
    acceptsStreamOptions: true,
    params: {},
    embeddings: true,
    capabilities: FULL,
  },
  {
    id: 'mistral',
    defaultBaseUrl: 'https://api.mistral.ai/v1',
    requiresKey: true,
    // Mistral always reports usage on the final chunk and rejects unknown fields.
    acceptsStreamOptions: false,
    params: {
      seed: { renameTo: 'random_seed' },
      max_completion_tokens: { renameTo: 'max_tokens' },
      logprobs: 'drop',
      top_logprobs: 'drop',
      logit_bias: 'drop',
      user: 'drop',
      store: 'drop',
      service_tier: 'drop',
      reasoning_effort: 'drop',
    },
    embeddings: true,
    capabilities: { ...FULL, logprobs: false },
  },
  {
    id: 'deepinfra',
    defaultBaseUrl: 'https://api.deepinfra.com/v1/openai',
    requiresKey: true,
    acceptsStreamOptions: true,
    params: {},
    embeddings: true,
    capabilities: FULL,
  },
  {
    id: 'ollama',
    defaultBaseUrl: 'http://127.0.0.1:11434/v1',
    requiresKey: false,
    acceptsStreamOptions: true,
    params: {
      logit_bias: 'drop',
      n: 'drop-unless-one',
      // Ollama reads max_tokens; max_completion_tokens would be ignored silently.
      max_completion_tokens: { renameTo: 'max_tokens' },
    },
    embeddings: true,
    capabilities: { ...FULL, n: false },
  },
];
