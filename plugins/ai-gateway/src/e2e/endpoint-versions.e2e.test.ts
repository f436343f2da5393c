import { applyConfig, definePlugin, parseConfig, type GatewayPlugin, type PluginHost, type PolicyRecord, type RequestLogRecord } from '@portcullis/core';
import { PROJECT_ID, postJson, startWorld, worldYaml, type World } from './fixture';

/** Records the rate-limit policies core finds for each LLM call (what the rate-limits plugin would see). */
function policyProbe(seen: PolicyRecord[][]): GatewayPlugin<never> {
  let host: PluginHost | null = null;
  return definePlugin({
    name: 'policy-probe',
    apiVersion: 1,
    setup(h) {
      host = h;
    },
    hooks: {
      beforeUpstream(ctx) {
        seen.push(host!.config.policiesFor('rate_limit', ctx));
      },
    },
  }) as GatewayPlugin<never>;
}

let world: World;
const seen: PolicyRecord[][] = [];

beforeAll(async () => {
  world = await startWorld({ extraPlugins: [{ plugin: policyProbe(seen) }] });
});
afterAll(() => world.close());

async function logOf(requestId: string): Promise<RequestLogRecord> {
  // Log records are written in batches after the response; wait for this one.
  for (let i = 0; i < 100; i++) {
    const record = await world.gateway.store.requestLogs.get(requestId);
    if (record) return record;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no log record for ${requestId}`);
}

describe('endpoint policies and versions', () => {
  it('makes endpoint-level policies visible to policy plugins for that endpoint only', async () => {
    const endpoint = (await world.gateway.store.endpoints.findOne({ projectId: PROJECT_ID, slug: 'summarize' }))!;
    seen.length = 0;
    expect((await postJson(`${world.baseURL}/summarize`, { input: 'x', variables: { audience: 'all' } })).status).toBe(200);
    expect(seen).toEqual([[expect.objectContaining({ level: 'endpoint', targetId: endpoint.id, config: { requestsPerMinute: 1000 } })]]);
    seen.length = 0;
    expect((await postJson(`${world.baseURL}/extract`, { input: 'x' })).status).toBe(200);
    expect(seen).toEqual([[]]);
  });

  it('sets the endpoint for the OpenAI-shape route too', async () => {
    seen.length = 0;
    const res = await postJson(`${world.baseURL}/chat/completions`, { model: 'summarize', messages: [{ role: 'user', content: 'x' }], variables: { audience: 'all' } });
    expect(res.status).toBe(200);
    expect(seen).toEqual([[expect.objectContaining({ level: 'endpoint', config: { requestsPerMinute: 1000 } })]]);
  });

  it('records the endpoint version used in the request log, and a new version after an update', async () => {
    const first = await postJson(`${world.baseURL}/summarize`, { input: 'v1', variables: { audience: 'all' } });
    const firstLog = await logOf(first.headers.get('x-request-id')!);
    expect(firstLog.versions).toEqual({ 'endpoint:summarize': 1 });
    expect(firstLog.endpoint).toBe('summarize');

    // Change the template through the real apply path, which writes an immutable version.
    const host = world.gateway.gateway.host;
    const config = parseConfig(worldYaml(urlsOf(world), 'Brief for {{audience}}: {{input}}'), { APP_KEY: world.gateway.appKey });
    await applyConfig(config, { store: world.gateway.store, secrets: host.secrets, tokens: host.tokens });
    await host.config.invalidate('test: endpoint updated');
    const endpoint = (await world.gateway.store.endpoints.findOne({ projectId: PROJECT_ID, slug: 'summarize' }))!;
    expect(endpoint.version).toBe(2);
    expect((await world.gateway.store.endpointVersions.find({ endpointId: endpoint.id })).map((v) => v.version).sort()).toEqual([1, 2]);

    const second = await postJson(`${world.baseURL}/summarize`, { input: 'v2', variables: { audience: 'all' } });
    expect(second.body['output']).toBe('Echo: Brief for all: v2');
    expect(second.body['endpoint']).toEqual({ slug: 'summarize', version: 2 });
    expect((await logOf(second.headers.get('x-request-id')!)).versions).toEqual({ 'endpoint:summarize': 2 });
  });

  it('logs the endpoint of an OpenAI-shape call', async () => {
    const res = await postJson(`${world.baseURL}/chat/completions`, { model: 'extract', messages: [{ role: 'user', content: 'x' }] });
    const log = await logOf(res.headers.get('x-request-id')!);
    expect(log.endpoint).toBe('extract');
    expect(log.versions).toEqual({ 'endpoint:extract': 1 });
  });
});

const urlsOf = (w: World) => ({ openai: w.openai.url, anthropic: w.anthropic.url, down: w.down.url });
