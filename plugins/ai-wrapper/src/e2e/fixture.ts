import { adapters as anthropicAdapters } from '@portcullis/adapter-anthropic';
import { adapters as bedrockAdapters } from '@portcullis/adapter-bedrock';
import { adapters as geminiAdapters } from '@portcullis/adapter-gemini';
import { adapters as openaiAdapters } from '@portcullis/adapter-openai';
import type { GatewayPlugin } from '@portcullis/core';
import {
  startMockAnthropic,
  startMockBedrock,
  startMockGemini,
  startMockOpenAI,
  startTestGateway,
  type MockServer,
  type TestGateway,
} from '@portcullis/core/testkit';
import { createAuthPlugin } from '@portcullis/plugin-auth';
import { createAiWrapperPlugin } from '../ai-wrapper-plugin';

export const PROJECT_ID = '3f2c8a9e-0b7d-4c1e-9a57-6d3e2f1b8c40';
export const OTHER_PROJECT_ID = '8d1e4b2a-5c6f-4a7b-9e0d-1f2a3b4c5d6e';
export const TOKEN = 'pc_live_E2eTestTokenAbcdefghijklmnopqrstuv';
export const MODELS_ONLY_TOKEN = 'pc_live_E2eModelsOnlyTokenAbcdefghijklmn';
export const OTHER_PROJECT_TOKEN = 'pc_live_E2eOtherProjectTokenAbcdefghijkl';
export const PROVIDER_SECRETS = {
  openai: 'sk-e2e-openai-secret-0123456789abcdef',
  anthropic: 'sk-ant-e2e-anthropic-secret-0123456789',
  gemini: 'AIzaE2eGeminiSecret0123456789abcdefghijk',
  bedrock: 'e2eBedrockSecretAccessKey0123456789abcdef',
};

/** One alias per wire protocol, so every end-to-end case runs against each provider. */
export const PROVIDER_ALIASES = [
  { alias: 'gpt', provider: 'openai', model: 'gpt-4o-mini' },
  { alias: 'claude', provider: 'anthropic', model: 'claude-sonnet-4-5' },
  { alias: 'gem', provider: 'gemini', model: 'gemini-2.5-flash' },
  { alias: 'bed', provider: 'bedrock', model: 'anthropic.claude-3-haiku-20240307-v1:0' },
] as const;

export interface E2eWorld {
  gateway: TestGateway;
  mocks: Record<'openai' | 'anthropic' | 'gemini' | 'bedrock', MockServer>;
  /** `<gateway>/api/<project>/v1` */
  baseURL: string;
  close(): Promise<void>;
}

export function firstPartyPlugins(): { plugin: GatewayPlugin<never>; config?: unknown }[] {
  return [{ plugin: createAuthPlugin() as GatewayPlugin<never> }, { plugin: createAiWrapperPlugin() as GatewayPlugin<never> }];
}

export const allAdapters = () => [...openaiAdapters, ...anthropicAdapters, ...geminiAdapters, ...bedrockAdapters];

export async function startE2eWorld(options: { captureLogs?: boolean; extraPlugins?: { plugin: GatewayPlugin<never>; config?: unknown }[]; extraYaml?: string } = {}): Promise<E2eWorld> {
  const openai = await startMockOpenAI({ apiKey: PROVIDER_SECRETS.openai });
  const anthropic = await startMockAnthropic({ apiKey: PROVIDER_SECRETS.anthropic });
  const gemini = await startMockGemini({ apiKey: PROVIDER_SECRETS.gemini });
  const bedrock = await startMockBedrock({ credentials: { accessKeyId: 'AKIAE2ETESTKEY000001', secretAccessKey: PROVIDER_SECRETS.bedrock } });
  const yaml = `
credentials:
  - { name: openai-main, provider: openai, secret: "${PROVIDER_SECRETS.openai}", baseUrl: "${openai.url}/v1" }
  - { name: anthropic-main, provider: anthropic, secret: "${PROVIDER_SECRETS.anthropic}", baseUrl: "${anthropic.url}" }
  - { name: gemini-main, provider: gemini, secret: "${PROVIDER_SECRETS.gemini}", baseUrl: "${gemini.url}/v1beta" }
  - { name: bedrock-main, provider: bedrock, secret: "${PROVIDER_SECRETS.bedrock}", baseUrl: "${bedrock.url}", options: { accessKeyId: AKIAE2ETESTKEY000001, region: us-east-1 } }
  - { name: groq-main, provider: groq, secret: "gsk_e2e_groq_secret_0123456789", baseUrl: "${openai.url}/v1" }
projects:
  - id: ${PROJECT_ID}
    name: E2E
    type: ai_wrapper
    providers:
      - { provider: openai, credential: openai-main }
      - { provider: anthropic, credential: anthropic-main }
      - { provider: gemini, credential: gemini-main }
      - { provider: bedrock, credential: bedrock-main }
      - { provider: groq, credential: groq-main, enabled: false }
    aliases:
${PROVIDER_ALIASES.map((a) => `      - { name: ${a.alias}, target: "${a.provider}:${a.model}" }`).join('\n')}
      - { name: fast, target: "openai:gpt-4o-mini", presets: { system: "You are terse.", temperature: 0.2 } }
      - { name: resilient, target: "anthropic:claude-sonnet-4-5", fallbacks: ["openai:gpt-4o-mini"] }
    tokens:
      - { name: app, scopes: [chat, models, embeddings], value: "${TOKEN}" }
      - { name: models-only, scopes: [models], value: "${MODELS_ONLY_TOKEN}" }
  - id: ${OTHER_PROJECT_ID}
    name: Other
    type: ai_wrapper
    providers: [ { provider: openai, credential: openai-main } ]
    aliases: [ { name: fast, target: "openai:gpt-4o-mini" } ]
    tokens: [ { name: other, scopes: [chat, models], value: "${OTHER_PROJECT_TOKEN}" } ]
${options.extraYaml ?? ''}`;
  const gateway = await startTestGateway({
    yaml,
    plugins: [...firstPartyPlugins(), ...(options.extraPlugins ?? [])],
    adapters: allAdapters(),
    captureLogs: options.captureLogs ?? false,
  });
  const mocks = { openai, anthropic, gemini, bedrock };
  return {
    gateway,
    mocks,
    baseURL: `${gateway.url}/api/${PROJECT_ID}/v1`,
    close: async () => {
      await gateway.close();
      await Promise.all(Object.values(mocks).map((m) => m.close()));
    },
  };
}

/** Request logs are written in batches off the hot path: wait until one has landed. */
export async function waitForLog(gateway: TestGateway, requestId: string, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await gateway.store.requestLogs.get(requestId);
    if (record || Date.now() > deadline) return record;
    await new Promise((r) => setTimeout(r, 50));
  }
}
