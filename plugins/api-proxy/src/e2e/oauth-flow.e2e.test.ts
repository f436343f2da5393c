import { auditEvents, connectThroughBrowser, PROJECT_ID, startProxyWorld, TOKENS, type ProxyWorld } from './__fixtures__/world';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('OAuth connections (GitHub preset through passport, against a loopback GitHub)', () => {
  let world: ProxyWorld;
  beforeEach(async () => {
    world = await startProxyWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('connects through passport with PKCE, stores tokens encrypted, and injects the token into proxied calls', async () => {
    const flow = await connectThroughBrowser(world, TOKENS.app);
    expect(flow.start.status).toBe(302);
    expect(flow.start.headers.get('cache-control')).toBe('no-store');
    const authorize = flow.authorize!;
    expect(authorize.searchParams.get('client_id')).toBe(world.github.clientId);
    expect(authorize.searchParams.get('scope')).toBe('read:user repo');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${world.gateway.url}/oauth/callback`);
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(flow.cookie).toMatch(/^pc_oauth_[0-9a-f]{16}=/);

    expect(flow.callback!.status).toBe(200);
    expect(await flow.callback!.json()).toMatchObject({ connection: 'github', status: 'connected', subject: null });
    expect(world.github.grants.authorization_code).toBe(1);

    const record = await world.gateway.store.oauthConnections.findOne({ projectId: PROJECT_ID, name: 'github', subject: null });
    expect(record?.status).toBe('connected');
    expect(record?.tokenType).toBe('Bearer');
    expect(record?.accessTokenEnc).toBeTruthy();
    expect(record?.accessTokenEnc).not.toContain('ghu_');
    expect(record?.refreshTokenEnc).not.toContain('ghr_');
    expect(world.gateway.gateway.host.secrets.decrypt(record!.accessTokenEnc!)).toBe('ghu_mock1_octocat');

    const repos = await fetch(world.proxyUrl('github', '/user/repos?per_page=5'), { headers: { ...bearer(TOKENS.app), cookie: 'gw=1' } });
    expect(repos.status).toBe(200);
    expect(await repos.json()).toEqual([expect.objectContaining({ full_name: 'octocat/hello-world' })]);
    expect(world.github.reposAuthorizations).toEqual(['Bearer ghu_mock1_octocat']);
    expect(repos.headers.get('set-cookie')).toBeNull();
    expect(repos.headers.get('x-request-id')).toBeTruthy();
    expect((await auditEvents(world, 'oauth_connection.connected')).length).toBe(1);
  });

  it('refreshes a token that expires within 60 s first, stores the rotated refresh token, and shares one refresh between concurrent requests', async () => {
    world.github.accessTokenTtlSeconds = 30; // inside the 60 s window: the next use refreshes
    await connectThroughBrowser(world, TOKENS.app);
    world.github.accessTokenTtlSeconds = 28800;
    const before = await world.gateway.store.oauthConnections.findOne({ projectId: PROJECT_ID, name: 'github', subject: null });

    const answers = await Promise.all(Array.from({ length: 5 }, () => fetch(world.proxyUrl('github', '/user/repos'), { headers: bearer(TOKENS.app) })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(world.github.grants.refresh_token).toBe(1);
    expect(new Set(world.github.reposAuthorizations)).toEqual(new Set(['Bearer ghu_mock2_octocat']));

    const after = await world.gateway.store.oauthConnections.findOne({ projectId: PROJECT_ID, name: 'github', subject: null });
    const secrets = world.gateway.gateway.host.secrets;
    expect(secrets.decrypt(after!.refreshTokenEnc!)).toBe('ghr_mock2_octocat');
    expect(secrets.decrypt(before!.refreshTokenEnc!)).toBe('ghr_mock1_octocat');
    expect(Date.parse(after!.expiresAt!)).toBeGreaterThan(Date.now() + 60 * 60 * 1000);
  });

  it('answers 502 oauth_refresh_failed with a clear message and an audit event when the refresh is refused', async () => {
    world.github.accessTokenTtlSeconds = 30;
    await connectThroughBrowser(world, TOKENS.app);
    world.github.failRefresh = true;
    const res = await fetch(world.proxyUrl('github', '/user/repos'), { headers: bearer(TOKENS.app) });
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('oauth_refresh_failed');
    expect(body.error.message).toContain('bad_refresh_token');
    expect(body.error.message).toContain('/oauth/github/connect');
    expect(world.github.requestCount('/user/repos')).toBe(0);
    const events = await auditEvents(world, 'oauth_connection.refresh_failed');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severity: 'warning', projectId: PROJECT_ID, metadata: expect.objectContaining({ reason: 'bad_refresh_token', permanent: true }) });
    // The dead connection now says so instead of retrying a refresh token that cannot work.
    const again = await fetch(world.proxyUrl('github', '/user/repos'), { headers: bearer(TOKENS.app) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('oauth_not_connected');
  });

  it('refuses a replayed state, a callback without the browser-binding cookie, and an unknown state', async () => {
    const flow = await connectThroughBrowser(world, TOKENS.app);
    expect(flow.callback!.status).toBe(200);
    const replay = await fetch(flow.callbackUrl!, { headers: { cookie: flow.cookie } });
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('oauth_state_invalid');

    const stolen = await connectThroughBrowser(world, TOKENS.app, { dropCookie: true });
    expect(stolen.callback!.status).toBe(400);
    // The state was consumed by the refused attempt: the right browser cannot reuse it either.
    const late = await fetch(stolen.callbackUrl!, { headers: { cookie: stolen.cookie } });
    expect(late.status).toBe(400);

    const forged = await fetch(`${world.gateway.url}/oauth/callback?code=x&state=forged`);
    expect(forged.status).toBe(400);
    const missing = await fetch(`${world.gateway.url}/oauth/callback?code=x`);
    expect(missing.status).toBe(400);
    expect(world.github.grants.authorization_code).toBe(1);
    // replay, missing cookie, late retry, forged, missing state
    expect((await auditEvents(world, 'oauth_connection.state_rejected')).length).toBe(5);
  });

  it('does not let anonymous callers or tokens without the proxy scope start a flow', async () => {
    const anonymous = await fetch(`${world.gateway.url}/oauth/github/connect`, { redirect: 'manual' });
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`${world.gateway.url}/oauth/github/connect?token=pc_live_NotARealTokenAbcdefghijklmno`, { redirect: 'manual' });
    expect(wrong.status).toBe(401);
    const chatOnly = await fetch(`${world.gateway.url}/oauth/github/connect`, { redirect: 'manual', headers: bearer(TOKENS.chatOnly) });
    expect(chatOnly.status).toBe(403);
    const unknown = await fetch(`${world.gateway.url}/oauth/gitlab/connect?token=${TOKENS.app}`, { redirect: 'manual' });
    expect(unknown.status).toBe(404);
  });

  it('reports a denial at the provider without connecting', async () => {
    const flow = await connectThroughBrowser(world, TOKENS.app, { deny: true });
    expect(flow.callback!.status).toBe(400);
    const record = await world.gateway.store.oauthConnections.findOne({ projectId: PROJECT_ID, name: 'github', subject: null });
    expect(record?.status).not.toBe('connected');
    expect(world.github.grants.authorization_code).toBe(0);
  });

  it('gives each subject its own connection through the same flow and URL', async () => {
    await connectThroughBrowser(world, TOKENS.app, { login: 'service-bot' });
    const alice = await connectThroughBrowser(world, TOKENS.alice, { login: 'alice' });
    expect(await alice.callback!.json()).toMatchObject({ status: 'connected', subject: 'alice' });

    const asAlice = await fetch(world.proxyUrl('github', '/user/repos'), { headers: bearer(TOKENS.alice) });
    expect(await asAlice.json()).toEqual([expect.objectContaining({ full_name: 'alice/hello-world' })]);
    const asService = await fetch(world.proxyUrl('github', '/user/repos'), { headers: bearer(TOKENS.app) });
    expect(await asService.json()).toEqual([expect.objectContaining({ full_name: 'service-bot/hello-world' })]);
    // Bob never connected: he gets a pointer to the flow, never the service account.
    const asBob = await fetch(world.proxyUrl('github', '/user/repos'), { headers: bearer(TOKENS.bob) });
    expect(asBob.status).toBe(409);
    expect(((await asBob.json()) as { error: { message: string } }).error.message).toContain('subject "bob"');
  });

  it('disconnect clears the tokens and audits it', async () => {
    await connectThroughBrowser(world, TOKENS.app);
    const res = await fetch(`${world.gateway.url}/oauth/github/disconnect`, { method: 'POST', headers: bearer(TOKENS.app) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ connection: 'github', status: 'disconnected' });
    const record = await world.gateway.store.oauthConnections.findOne({ projectId: PROJECT_ID, name: 'github', subject: null });
    expect(record).toMatchObject({ status: 'disconnected', accessTokenEnc: null, refreshTokenEnc: null });
    const proxied = await fetch(world.proxyUrl('github', '/user/repos'), { headers: bearer(TOKENS.app) });
    expect(proxied.status).toBe(409);
    expect((await auditEvents(world, 'oauth_connection.disconnected')).length).toBe(1);
    const anonymous = await fetch(`${world.gateway.url}/oauth/github/disconnect`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
  });
});
