import { adapters as openaiAdapters } from '@portcullis/adapter-openai';
import type { GatewayPlugin } from '@portcullis/core';
import { startMockOpenAI, startTestGateway, type MockOpenAIServer, type TestGateway } from '@portcullis/core/testkit';
import { createAiWrapperPlugin } from '@portcullis/plugin-ai-wrapper';
import { createAuthPlugin } from '@portcullis/plugin-auth';

/**
 * A real in-process gateway (auth + ai-wrapper + the plugins under test) in front of the
 * OpenAI mock, with projects whose policies come from portcullis.yaml, as an operator writes them.
 */
export const PROVIDER_SECRET = 'sk-integration-openai-secret-0123456789';

export interface ProjectSpec {
  id: string;
  token: string;
  /** YAML flow mappings, one per policy: `{ kind: rate_limit, config: { rpm: 5 } }`. */
  policies: string[];
}

export interface World {
  gateway: TestGateway;
  mock: MockOpenAIServer;
  /** `<gateway>/api/<project>/v1` for a project of the world. */
  baseURL(projectId: string): string;
  close(): Promise<void>;
}

export interface WorldOptions {
  projects: ProjectSpec[];
  plugins: { plugin: GatewayPlugin<never>; config?: unknown }[];
  /** Top-level YAML appended as is (`redis:`, `prices:`). */
  extraYaml?: string;
}

export function projectsYaml(projects: ProjectSpec[], credential: string): string {
  return projects
    .map(
      (p, i) => `
  - id: ${p.id}
    name: project-${i}
    type: ai_wrapper
    providers: [ { provider: openai, credential: ${credential} } ]
    tokens: [ { name: app, scopes: [chat], value: "${p.token}" } ]
    policies:${p.policies.length === 0 ? ' []' : p.policies.map((pol) => `\n      - ${pol}`).join('')}`,
    )
    .join('');
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const mock = await startMockOpenAI({ apiKey: PROVIDER_SECRET });
  const yaml = `
credentials:
  - { name: openai-main, provider: openai, secret: "${PROVIDER_SECRET}", baseUrl: "${mock.baseURL}" }
projects:${projectsYaml(options.projects, 'openai-main')}
${options.extraYaml ?? ''}`;
  let gateway: TestGateway;
  try {
    gateway = await startTestGateway({
      yaml,
      plugins: [{ plugin: createAuthPlugin() as GatewayPlugin<never> }, { plugin: createAiWrapperPlugin() as GatewayPlugin<never> }, ...options.plugins],
      adapters: [...openaiAdapters],
    });
  } catch (err) {
    await mock.close();
    throw err;
  }
  return {
    gateway,
    mock,
    baseURL: (projectId) => `${gateway.url}/api/${projectId}/v1`,
    close: async () => {
      await gateway.close();
      await mock.close();
    },
  };
}

/** Chat requests the mock received (the provider's view). */
export const chatRequestsSeen = (mock: MockOpenAIServer): number => mock.requests.filter((r) => r.url.endsWith('/chat/completions')).length;

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  ms: number;
}

/** One chat completion with fetch: status, headers and parsed body, never throws on HTTP errors. */
export async function postChat(baseURL: string, token: string, body: Record<string, unknown>, timeoutMs = 10_000): Promise<RawAnswer> {
  const started = performance.now();
  const res = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai:gpt-4o-mini', ...body }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    // Keep the raw text: an assertion on the envelope will show it.
  }
  return { status: res.status, headers: res.headers, body: parsed, ms: performance.now() - started };
}

export const errorCodeOf = (body: unknown): unknown =>
  typeof body === 'object' && body !== null && 'error' in body ? (body as { error: { code?: unknown } }).error.code : undefined;

