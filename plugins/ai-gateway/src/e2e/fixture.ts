import { adapters as anthropicAdapters } from '@portcullis/adapter-anthropic';
import { adapters as openaiAdapters } from '@portcullis/adapter-openai';
import type { GatewayPlugin, ProviderAdapter } from '@portcullis/core';
import { startMockAnthropic, startMockOpenAI, startMockServer, startTestGateway, type MockServer, type TestGateway } from '@portcullis/core/testkit';
import { createAuthPlugin } from '@portcullis/plugin-auth';
import { createAiGatewayPlugin } from '../ai-gateway-plugin';

export const PROJECT_ID = '5a1c7e2b-9d3f-4b6a-8c0e-2f4d6b8a1c3e';
export const WRAPPER_PROJECT_ID = '7b2d8f3c-0e4a-4c7b-9d1f-3a5c7e9b2d4f';
export const TOKEN = 'pc_live_AiGatewayE2eTokenAbcdefghijklmn';
export const MODELS_ONLY_TOKEN = 'pc_live_AiGatewayModelsOnlyAbcdefghijk';
export const SUMMARIZE_ONLY_TOKEN = 'pc_live_AiGatewaySummarizeOnlyAbcdefgh';
export const WRAPPER_TOKEN = 'pc_live_AiGatewayWrapperTokenAbcdefghij';
const SECRETS = { openai: 'sk-aigw-openai-secret-0123456789abcdef', anthropic: 'sk-ant-aigw-anthropic-secret-012345' };

export const SUMMARIZE_TEMPLATE = 'Summarize for {{audience}}: {{input}}';
export const EXTRACT_SCHEMA = {
  type: 'object',
  properties: { title: { type: 'string' }, score: { type: 'integer' } },
  required: ['title', 'score'],
  additionalProperties: false,
};

/**
 * Test-only adapters that behave like a model ignoring the requested schema: the request goes to
 * the OpenAI mock WITHOUT response_format, so the mock answers plain "Echo: ..." text.
 * `sloppy-once` does that only for the first attempt (no assistant turn yet), so the repair
 * retry gets a schema-shaped answer; `sloppy` always does it.
 */
function schemaIgnoringAdapter(id: string, onlyFirstTurn: boolean): ProviderAdapter {
  const base = openaiAdapters.find((a) => a.providers.includes('openai'))!;
  return {
    ...base,
    providers: [id],
    buildRequest(req, target) {
      const isRepair = req.messages.some((m) => m.role === 'assistant');
      if (onlyFirstTurn && isRepair) return base.buildRequest(req, target);
      const { response_format: _ignored, ...rest } = req;
      return base.buildRequest(rest, target);
    },
  };
}

export interface World {
  gateway: TestGateway;
  openai: MockServer;
  anthropic: MockServer;
  /** An OpenAI-shaped upstream that is always overloaded (503). */
  down: MockServer;
  /** `<gateway>/api/<project>` */
  baseURL: string;
  yaml: string;
  close(): Promise<void>;
}

export function worldYaml(urls: { openai: string; anthropic: string; down: string }, summarizeTemplate = SUMMARIZE_TEMPLATE): string {
  return `
credentials:
  - { name: openai-main, provider: openai, secret: "${SECRETS.openai}", baseUrl: "${urls.openai}/v1" }
  - { name: openai-down, provider: openai, secret: "${SECRETS.openai}", baseUrl: "${urls.down}/v1" }
  - { name: anthropic-main, provider: anthropic, secret: "${SECRETS.anthropic}", baseUrl: "${urls.anthropic}" }
  - { name: sloppy-main, provider: sloppy, secret: "${SECRETS.openai}", baseUrl: "${urls.openai}/v1" }
  - { name: sloppy-once-main, provider: sloppy-once, secret: "${SECRETS.openai}", baseUrl: "${urls.openai}/v1" }
projects:
  - id: ${PROJECT_ID}
    name: Slugs
    type: ai_gateway
    providers:
      - { provider: openai, credential: openai-main }
      - { provider: anthropic, credential: anthropic-main }
      - { provider: sloppy, credential: sloppy-main }
      - { provider: sloppy-once, credential: sloppy-once-main }
    aliases:
      - { name: claude, target: "anthropic:claude-sonnet-4-5" }
    tokens:
      - { name: app, scopes: [chat], value: "${TOKEN}" }
      - { name: models-only, scopes: [models], value: "${MODELS_ONLY_TOKEN}" }
      - { name: summarize-only, scopes: [chat], value: "${SUMMARIZE_ONLY_TOKEN}", endpointAllowlist: [summarize] }
    endpoints:
      - slug: summarize
        config:
          target: { provider: openai, model: gpt-4o-mini, credential: openai-main }
          systemPrompt: "You are a <careful> summarizer & editor."
          template: "${summarizeTemplate}"
          inputSchema: { type: object, properties: { audience: { type: string, minLength: 2 } }, required: [audience] }
          temperature: 0.2
          max_tokens: 300
      - slug: extract
        config:
          target: { alias: claude }
          outputSchema: ${JSON.stringify(EXTRACT_SCHEMA)}
      - slug: no-stream
        config:
          target: { provider: anthropic, model: claude-sonnet-4-5 }
          stream: false
      - slug: resilient
        config:
          target: { provider: openai, model: gpt-4o-mini, credential: openai-down }
          fallbacks: [ { alias: claude } ]
      - slug: repaired
        config:
          target: { provider: sloppy-once, model: gpt-4o-mini }
          outputSchema: ${JSON.stringify(EXTRACT_SCHEMA)}
      - slug: hopeless
        config:
          target: { provider: sloppy, model: gpt-4o-mini }
          outputSchema: ${JSON.stringify(EXTRACT_SCHEMA)}
    policies:
      - { kind: rate_limit, level: endpoint, target: summarize, config: { requestsPerMinute: 1000 } }
  - id: ${WRAPPER_PROJECT_ID}
    name: Wrapper
    type: ai_wrapper
    providers: [ { provider: openai, credential: openai-main } ]
    tokens: [ { name: w, scopes: [chat], value: "${WRAPPER_TOKEN}" } ]
`;
}

export async function startWorld(options: { extraPlugins?: { plugin: GatewayPlugin<never>; config?: unknown }[] } = {}): Promise<World> {
  const openai = await startMockOpenAI({ apiKey: SECRETS.openai });
  const anthropic = await startMockAnthropic({ apiKey: SECRETS.anthropic });
  const down = await startMockServer((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'The server is overloaded.', type: 'server_error', param: null, code: null } }));
  });
  const yaml = worldYaml({ openai: openai.url, anthropic: anthropic.url, down: down.url });
  const gateway = await startTestGateway({
    yaml,
    plugins: [{ plugin: createAuthPlugin() as GatewayPlugin<never> }, { plugin: createAiGatewayPlugin() as GatewayPlugin<never> }, ...(options.extraPlugins ?? [])],
    adapters: [...openaiAdapters, ...anthropicAdapters, schemaIgnoringAdapter('sloppy', false), schemaIgnoringAdapter('sloppy-once', true)],
  });
  return {
    gateway,
    openai,
    anthropic,
    down,
    baseURL: `${gateway.url}/api/${PROJECT_ID}`,
    yaml,
    close: async () => {
      await gateway.close();
      await Promise.all([openai.close(), anthropic.close(), down.close()]);
    },
  };
}

/** POSTs JSON with the bearer token; returns status, headers and parsed body. */
export async function postJson(url: string, body: unknown, token = TOKEN): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** POSTs and reads an SSE answer into its parsed `data:` payloads. */
export async function postSse(url: string, body: unknown, token = TOKEN): Promise<{ status: number; headers: Headers; events: Record<string, unknown>[] }> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  const events = text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.startsWith('data: '))
    .map((block) => JSON.parse(block.slice('data: '.length)) as Record<string, unknown>);
  return { status: res.status, headers: res.headers, events };
}
