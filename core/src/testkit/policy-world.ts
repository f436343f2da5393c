import type { ProviderAdapter } from '../spec/adapter';
import type { PluginEntry } from '../app/options';
import { startMockOpenAI, type MockOpenAIServer } from './mock-openai';
import { startTestGateway, type TestGateway } from './test-gateway';

/**
 * A real in-process gateway in front of the OpenAI mock, with projects whose policies come from
 * portcullis.yaml as an operator writes them. Policy plugins' integration tests share it; the
 * caller passes the plugins (auth, ai-wrapper, the plugin under test) and adapters, so core's
 * testkit still imports no plugin.
 */
export const POLICY_WORLD_PROVIDER_SECRET = 'sk-integration-openai-secret-0123456789';

export interface PolicyWorldProject {
  id: string;
  token: string;
  /** YAML flow mappings, one per policy: `{ kind: rate_limit, config: { rpm: 5 } }`. */
  policies: string[];
}

/** Something between the gateway and the mock (e.g. a recording proxy). */
export interface UpstreamRelay {
  url: string;
  close(): Promise<void>;
}

export interface PolicyWorldOptions<R extends UpstreamRelay = UpstreamRelay> {
  projects: PolicyWorldProject[];
  plugins: PluginEntry[];
  adapters: ProviderAdapter[];
  /** Top-level YAML appended as is (`redis:`, `prices:`). */
  extraYaml?: string;
  /** Puts a relay in front of the mock; the gateway's credential points at the relay. */
  relay?: (mockBaseURL: string) => Promise<R>;
}

export interface PolicyWorld<R extends UpstreamRelay = UpstreamRelay> {
  gateway: TestGateway;
  mock: MockOpenAIServer;
  relay: R | null;
  /** `<gateway>/api/<project>/v1` for a project of the world. */
  baseURL(projectId: string): string;
  close(): Promise<void>;
}

export function policyProjectsYaml(projects: PolicyWorldProject[], credential: string): string {
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

export async function startPolicyWorld<R extends UpstreamRelay = UpstreamRelay>(options: PolicyWorldOptions<R>): Promise<PolicyWorld<R>> {
  const mock = await startMockOpenAI({ apiKey: POLICY_WORLD_PROVIDER_SECRET });
  let relay: R | null = null;
  let gateway: TestGateway;
  try {
    relay = options.relay ? await options.relay(mock.baseURL) : null;
    const yaml = `
credentials:
  - { name: openai-main, provider: openai, secret: "${POLICY_WORLD_PROVIDER_SECRET}", baseUrl: "${relay?.url ?? mock.baseURL}" }
projects:${policyProjectsYaml(options.projects, 'openai-main')}
${options.extraYaml ?? ''}`;
    gateway = await startTestGateway({ yaml, plugins: options.plugins, adapters: options.adapters });
  } catch (err) {
    await relay?.close();
    await mock.close();
    throw err;
  }
  return {
    gateway,
    mock,
    relay,
    baseURL: (projectId) => `${gateway.url}/api/${projectId}/v1`,
    close: async () => {
      await gateway.close();
      await relay?.close();
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

/** One chat completion with fetch: status, headers and parsed body; never throws on HTTP errors. */
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

/** Sum of every sample of a Prometheus counter in a /metrics text (0 when absent). */
export const metricTotal = (text: string, name: string): number =>
  text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);

/**
 * Waits until the gateway has finished `count` requests: portcullis_requests_total is counted
 * after the onLog hooks ran, so every reservation has been reconciled by then.
 */
export async function waitForFinishedRequests(gatewayUrl: string, count: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = metricTotal(await fetch(`${gatewayUrl}/metrics`).then((r) => r.text()), 'portcullis_requests_total');
    if (seen >= count) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`only ${seen} of ${count} requests finished within ${timeoutMs} ms`);
}
