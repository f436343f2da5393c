import { buildClientResponseHeaders, buildUpstreamRequestHeaders } from './header-policy';

const clientHeaders = {
  host: 'gateway.example',
  authorization: 'Bearer pc_live_gatewaytoken',
  'x-api-key': 'pc_live_gatewaytoken',
  'api-key': 'pc_live_gatewaytoken',
  cookie: 'session=abc',
  connection: 'keep-alive, x-custom-hop',
  'keep-alive': 'timeout=5',
  'proxy-authorization': 'Basic Zm9vOmJhcg==',
  'proxy-foo': 'x',
  te: 'trailers',
  trailer: 'x-checksum',
  upgrade: 'websocket',
  'x-custom-hop': 'dropped because Connection lists it',
  'x-forwarded-for': '10.0.0.1',
  accept: 'application/json',
  'content-type': 'application/json',
  'content-length': '12',
  'x-trace': 't1',
};

describe('buildUpstreamRequestHeaders', () => {
  it('never forwards credentials, cookies, host, forwarding or hop-by-hop headers', () => {
    const out = buildUpstreamRequestHeaders(clientHeaders, { blockHeaders: [], injectHeaders: {} }, null);
    expect(Object.keys(out).sort()).toEqual(['accept', 'content-length', 'content-type', 'x-trace']);
  });
  it('applies block list, allowlist (body framing always kept), injection and OAuth authorization last', () => {
    const out = buildUpstreamRequestHeaders(
      clientHeaders,
      { forwardHeaders: ['accept', 'x-trace'], blockHeaders: ['x-trace'], injectHeaders: { 'x-github-api-version': '2022-11-28', accept: 'application/vnd.github+json' } },
      'Bearer gho_upstream',
    );
    expect(out).toEqual({
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
      'content-length': '12',
      'x-github-api-version': '2022-11-28',
      authorization: 'Bearer gho_upstream',
    });
  });
  it('re-chunks a chunked upload instead of forwarding the client framing', () => {
    const out = buildUpstreamRequestHeaders({ 'transfer-encoding': 'chunked', 'content-type': 'application/octet-stream' }, { blockHeaders: [], injectHeaders: {} }, null);
    expect(out).toEqual({ 'transfer-encoding': 'chunked', 'content-type': 'application/octet-stream' });
  });
  it('drops a malformed content-length', () => {
    const out = buildUpstreamRequestHeaders({ 'content-length': '12, 13' }, { blockHeaders: [], injectHeaders: {} }, null);
    expect(out['content-length']).toBeUndefined();
  });
});

describe('buildClientResponseHeaders', () => {
  it('drops hop-by-hop and Set-Cookie, renames the upstream request id', () => {
    const out = buildClientResponseHeaders({
      connection: 'close',
      'transfer-encoding': 'chunked',
      'set-cookie': ['a=1'],
      'x-request-id': 'up-1',
      'content-type': 'application/json',
      link: '<https://api.github.com/user/repos?page=2>; rel="next"',
    });
    expect(out).toEqual({ 'content-type': 'application/json', 'x-upstream-request-id': 'up-1', link: '<https://api.github.com/user/repos?page=2>; rel="next"' });
  });
});
