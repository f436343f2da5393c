import type { LookupAddress } from 'node:dns';
import type { BaseLookup, GatewayPlugin } from '@portcullis/core';
import { startTestGateway, type TestGateway } from '@portcullis/core/testkit';
import { createAuthPlugin } from '@portcullis/plugin-auth';
import { createApiProxyPlugin, type ApiProxyService } from '../../index';
import { startMockGitHub, type MockGitHub } from './mock-github';

export const PROJECT_ID = '5b0c7e1a-2d3f-4a6b-8c9d-0e1f2a3b4c5d';
export const TOKENS = {
  app: 'pc_live_ProxyAppTokenAbcdefghijklmnopqrs',
  alice: 'pc_live_ProxyAliceTokenAbcdefghijklmnopq',
  bob: 'pc_live_ProxyBobTokenAbcdefghijklmnopqrst',
  chatOnly: 'pc_live_ProxyChatOnlyTokenAbcdefghijklm',
};

/** DNS for the tests: a public-looking name that answers loopback (the rebinding case). */
export const fakeDns: BaseLookup = (hostname, _options, callback) => {
  const answers: Record<string, string> = { 'rebind.example': '127.0.0.1' };
  const address = answers[hostname];
  if (!address) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
  callback(null, [{ address, family: 4 } satisfies LookupAddress]);
};

export interface ProxyWorld {
  gateway: TestGateway;
  github: MockGitHub;
  proxyUrl(slug: string, rest: string): string;
  service: ApiProxyService;
  close(): Promise<void>;
}

export async function startProxyWorld(): Promise<ProxyWorld> {
  const github = await startMockGitHub();
  const port = new URL(github.url).port;
  const allow = `ssrfAllow: ["127.0.0.1"]`;
  const yaml = `
projects:
  - id: ${PROJECT_ID}
    name: Proxy
    type: api_proxy
    tokens:
      - { name: app, scopes: [proxy], value: "${TOKENS.app}" }
      - { name: alice, scopes: [proxy], subject: alice, value: "${TOKENS.alice}" }
      - { name: bob, scopes: [proxy], subject: bob, value: "${TOKENS.bob}" }
      - { name: chat-only, scopes: [chat], value: "${TOKENS.chatOnly}" }
    endpoints:
      - slug: github
        config: { upstream: "${github.url}", oauthConnection: github, methods: [GET, HEAD], ${allow}, injectHeaders: { x-github-api-version: "2022-11-28", accept: "application/vnd.github+json" } }
      - slug: plain
        config: { upstream: "${github.url}", methods: [GET, POST, PUT], ${allow}, injectHeaders: { x-injected: "yes" }, blockHeaders: [x-secret-debug] }
      - slug: prefixed
        config: { upstream: "${github.url}/echo", stripPrefix: /v3, preserveQuery: false, ${allow} }
      - slug: slow
        config: { upstream: "${github.url}", timeoutMs: 300, ${allow} }
      - slug: rebind
        config: { upstream: "http://rebind.example:${port}" }
      - slug: broken
        config: { upstream: "http://169.254.169.254/latest" }
`;
  const gateway = await startTestGateway({
    yaml,
    plugins: [
      { plugin: createAuthPlugin() as GatewayPlugin<never> },
      { plugin: createApiProxyPlugin({ resolve: fakeDns }) as GatewayPlugin<never>, config: { oauthSsrfAllow: ['127.0.0.1'] } },
    ],
    adapters: [],
  });
  const service = gateway.gateway.host.getService<ApiProxyService>('api-proxy')!;
  await service.createConnection({
    projectId: PROJECT_ID,
    name: 'github',
    preset: 'github',
    clientId: github.clientId,
    clientSecret: github.clientSecret,
    authorizeUrl: `${github.url}/login/oauth/authorize`,
    tokenUrl: `${github.url}/login/oauth/access_token`,
  });
  return {
    gateway,
    github,
    service,
    proxyUrl: (slug, rest) => `${gateway.url}/api/${PROJECT_ID}/proxy/${slug}${rest}`,
    close: async () => {
      await gateway.close();
      await github.close();
    },
  };
}

/** Plays the browser: connect -> provider authorize -> callback, keeping the binding cookie. */
export async function connectThroughBrowser(world: ProxyWorld, token: string, options: { login?: string; dropCookie?: boolean; deny?: boolean } = {}) {
  const start = await fetch(`${world.gateway.url}/oauth/github/connect?token=${token}`, { redirect: 'manual' });
  const location = start.headers.get('location');
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (start.status !== 302 || !location) return { start, authorize: null, callbackUrl: null, callback: null, cookie };
  const authorizeUrl = new URL(location);
  if (options.login) authorizeUrl.searchParams.set('login', options.login);
  if (options.deny) authorizeUrl.searchParams.set('deny', '1');
  const approved = await fetch(authorizeUrl, { redirect: 'manual' });
  const callbackUrl = approved.headers.get('location')!;
  const callback = await fetch(callbackUrl, { redirect: 'manual', headers: options.dropCookie ? {} : { cookie } });
  return { start, authorize: authorizeUrl, callbackUrl, callback, cookie };
}

export async function auditEvents(world: ProxyWorld, event: string) {
  await world.gateway.gateway.host.audit.flush();
  return (await world.gateway.store.audit.query({ event, limit: 50 })).items;
}
