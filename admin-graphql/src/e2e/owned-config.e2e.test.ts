import { adapters as openaiAdapters } from '@portcullis/adapter-openai';
import type { GatewayPlugin } from '@portcullis/core';
import { startTestGateway, type TestGateway } from '@portcullis/core/testkit';
import { createPlugin as createAiGatewayPlugin } from '@portcullis/plugin-ai-gateway';
import { createPlugin as createApiProxyPlugin } from '@portcullis/plugin-api-proxy';
import { createAuthPlugin } from '@portcullis/plugin-auth';
import { createPlugin as createBudgetsPlugin } from '@portcullis/plugin-budgets';
import { createPlugin as createRateLimitsPlugin } from '@portcullis/plugin-rate-limits';
import { createPlugin as createGuardrailsPlugin } from '@portcullis/plugin-guardrails';
import { createPlugin as createAdminPlugin } from '../index';

/**
 * Configs owned by other plugins are checked on write by the validator each plugin provides
 * (host services), so a mistake is a clear GraphQL error naming the field, not a 500 at request time.
 */
const ADMIN_KEY = 'pc_admin_OwnedConfigAdminKeyAbcdefghijkl';
const GATEWAY_PROJECT = '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f';
const PROXY_PROJECT = '8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a';
let gateway: TestGateway;

const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await fetch(`${gateway.url}/admin/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions: { code: string; field?: string } }[] };
};

beforeAll(async () => {
  gateway = await startTestGateway({
    yaml: `
projects:
  - { id: ${GATEWAY_PROJECT}, name: Slugs, type: ai_gateway }
  - { id: ${PROXY_PROJECT}, name: Proxy, type: api_proxy }`,
    plugins: [
      { plugin: createAuthPlugin() as GatewayPlugin<never> },
      { plugin: createGuardrailsPlugin() as GatewayPlugin<never>, config: { names: { workers: 0 } } },
      { plugin: createRateLimitsPlugin() as GatewayPlugin<never> },
      { plugin: createBudgetsPlugin() as GatewayPlugin<never> },
      { plugin: createAiGatewayPlugin() as GatewayPlugin<never> },
      { plugin: createApiProxyPlugin() as GatewayPlugin<never> },
      { plugin: createAdminPlugin() as GatewayPlugin<never>, config: { bootstrapKeys: [{ name: 'ci', role: 'admin', value: ADMIN_KEY }] } },
    ],
    adapters: [...openaiAdapters],
  });
});
afterAll(() => gateway?.close());

const setGuardrailPolicy = (config: unknown) =>
  gql('mutation($c: JSON!, $p: ID!) { setPolicy(input: { kind: GUARDRAIL, level: PROJECT, projectId: $p, config: $c }) { version } }', { c: config, p: GATEWAY_PROJECT });

it('refuses a guardrail policy whose custom pattern could backtrack catastrophically, naming the field', async () => {
  const res = await setGuardrailPolicy({ customPatterns: [{ name: 'ORDER_ID', pattern: '(a+)+$', action: 'mask' }] });
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'config.customPatterns.0.pattern' });
  const ok = await setGuardrailPolicy({ customPatterns: [{ name: 'ORDER_ID', pattern: 'ORD-[0-9]{8}', action: 'mask' }] });
  expect(ok.errors).toBeUndefined();
  expect(ok.data).toEqual({ setPolicy: { version: 1 } });
});

it('refuses an ai_gateway endpoint whose template does not parse', async () => {
  const res = await gql('mutation($p: ID!, $c: JSON!) { createEndpoint(input: { projectId: $p, slug: "broken", config: $c }) { id } }', {
    p: GATEWAY_PROJECT,
    c: { target: { provider: 'openai', model: 'gpt-4o-mini' }, template: 'Hello {{#unclosed}}' },
  });
  expect(res.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  expect(res.errors?.[0]?.extensions.field).toMatch(/^config\.template/);
});

it('refuses an api_proxy endpoint without an upstream, and one pointing at cloud metadata', async () => {
  const missing = await gql('mutation($p: ID!, $c: JSON!) { createEndpoint(input: { projectId: $p, slug: "gh", config: $c }) { id } }', { p: PROXY_PROJECT, c: {} });
  expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'config.upstream' });
  const metadata = await gql('mutation($p: ID!, $c: JSON!) { createEndpoint(input: { projectId: $p, slug: "md", config: $c }) { id } }', {
    p: PROXY_PROJECT,
    c: { upstream: 'http://169.254.169.254/latest/meta-data/' },
  });
  expect(metadata.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
});

it.each([
  ['RATE_LIMIT', { rpm: 'lots' }, 'config.rpm'],
  ['BUDGET', { capUsd: -5, window: 'monthly' }, 'config.capUsd'],
])('refuses an invalid %s policy, naming the field', async (kind, config, field) => {
  const res = await gql(`mutation($c: JSON!, $p: ID!) { setPolicy(input: { kind: ${kind}, level: PROJECT, projectId: $p, config: $c }) { version } }`, { c: config, p: GATEWAY_PROJECT });
  expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
});
