import { createServer, get, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../errors/gateway-error';
import { fakeDns } from '../testkit/fake-dns';
import { assertPublicUrl, embeddedIPv4, isPrivateAddress, SsrfGuard } from './ssrf';

const refusedCode = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof GatewayError ? err.code : `not a GatewayError: ${String(err)}`;
  }
};

describe('assertPublicUrl (save time)', () => {
  it.each([
    ['loopback', 'http://127.0.0.1/'],
    ['loopback /8', 'http://127.255.1.2:8080/x'],
    ['RFC 1918 10/8', 'http://10.1.2.3/'],
    ['RFC 1918 172.16/12', 'https://172.31.255.255/'],
    ['RFC 1918 192.168/16', 'http://192.168.0.1/'],
    ['link-local', 'http://169.254.10.10/'],
    ['AWS/GCP/Azure metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['CGNAT', 'http://100.64.0.1/'],
    ['0.0.0.0/8', 'http://0.0.0.0/'],
    ['multicast v4', 'http://224.0.0.1/'],
    ['broadcast', 'http://255.255.255.255/'],
    ['IPv6 loopback', 'http://[::1]/'],
    ['IPv6 unspecified', 'http://[::]/'],
    ['IPv6 link-local', 'http://[fe80::1]/'],
    ['IPv6 unique-local', 'http://[fc00::1]/'],
    ['AWS IPv6 metadata', 'http://[fd00:ec2::254]/'],
    ['IPv6 multicast', 'http://[ff02::1]/'],
    ['decimal IPv4 trick', 'http://2130706433/'],
    ['hex IPv4 trick', 'http://0x7f.0.0.1/'],
    ['octal IPv4 trick', 'http://0177.0.0.1/'],
    ['short IPv4 trick', 'http://127.1/'],
    ['IPv4-mapped IPv6 (dotted)', 'http://[::ffff:127.0.0.1]/'],
    ['IPv4-mapped IPv6 (hex)', 'http://[::ffff:7f00:1]/'],
    ['IPv4-mapped metadata', 'http://[::ffff:169.254.169.254]/'],
    ['IPv4-compatible IPv6', 'http://[::127.0.0.1]/'],
    ['NAT64 of loopback', 'http://[64:ff9b::7f00:1]/'],
    ['6to4 of RFC 1918', 'http://[2002:c0a8:0001::1]/'],
    ['localhost', 'http://localhost:3000/'],
    ['localhost with trailing dot', 'http://LOCALHOST./'],
    ['*.localhost', 'http://api.localhost/'],
    ['GCP metadata name', 'http://metadata.google.internal/computeMetadata/v1/'],
    ['*.internal', 'http://db.corp.internal/'],
    ['mDNS .local', 'http://printer.local/'],
  ])('refuses %s (%s)', (_label, url) => {
    expect(refusedCode(() => assertPublicUrl(url))).toBe('GW_ERR_PROXY_SSRF');
  });

  it.each([['file:///etc/passwd'], ['ftp://example.com/'], ['gopher://example.com/'], ['not a url'], ['http://user:pass@example.com/']])(
    'refuses non-http(s), malformed or credential-carrying URLs: %s',
    (url) => {
      expect(refusedCode(() => assertPublicUrl(url))).toBe('GW_ERR_PROXY_SSRF');
    },
  );

  it.each([['https://api.github.com/user/repos'], ['http://93.184.215.14/'], ['http://[2606:4700::1111]/'], ['https://172.32.0.1/'], ['https://100.128.0.1/']])(
    'accepts public addresses and names: %s',
    (url) => {
      expect(refusedCode(() => assertPublicUrl(url))).toBeNull();
    },
  );

  it('accepts private addresses the operator allow-listed (IP, CIDR, host, wildcard host)', () => {
    expect(refusedCode(() => assertPublicUrl('http://127.0.0.1:9/', { allow: ['127.0.0.1'] }))).toBeNull();
    expect(refusedCode(() => assertPublicUrl('http://10.2.3.4/', { allow: ['10.0.0.0/8'] }))).toBeNull();
    expect(refusedCode(() => assertPublicUrl('http://[fd00::5]/', { allow: ['fd00::/8'] }))).toBeNull();
    expect(refusedCode(() => assertPublicUrl('http://localhost/', { allow: ['localhost'] }))).toBeNull();
    expect(refusedCode(() => assertPublicUrl('http://svc.corp.internal/', { allow: ['*.corp.internal'] }))).toBeNull();
    // An allow entry opens exactly what it names.
    expect(refusedCode(() => assertPublicUrl('http://127.0.0.2/', { allow: ['127.0.0.1'] }))).toBe('GW_ERR_PROXY_SSRF');
    expect(refusedCode(() => assertPublicUrl('http://corp.internal/', { allow: ['*.corp.internal'] }))).toBe('GW_ERR_PROXY_SSRF');
    // The mapped form of an allow-listed IPv4 is the same address.
    expect(refusedCode(() => assertPublicUrl('http://[::ffff:127.0.0.1]/', { allow: ['127.0.0.1'] }))).toBeNull();
  });

  it.each([['127.0.0.1/33'], ['10.0.0.0/x'], ['not a host!'], ['host/8']])('rejects a malformed allow entry: %s', (entry) => {
    expect(() => new SsrfGuard({ allow: [entry] })).toThrow(/ssrf allow entry/);
  });
});

describe('address classification', () => {
  it('extracts IPv4 from mapped, compatible, NAT64 and 6to4 forms only', () => {
    expect(embeddedIPv4('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIPv4('::ffff:a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIPv4('64:ff9b::a00:1')).toBe('10.0.0.1');
    expect(embeddedIPv4('2002:7f00:1::')).toBe('127.0.0.1');
    expect(embeddedIPv4('2606:4700::1111')).toBeNull();
    expect(embeddedIPv4('::1')).toBeNull();
  });

  it('isPrivateAddress is true only for blocked literals', () => {
    expect(isPrivateAddress('127.0.0.1')).toBe(true);
    expect(isPrivateAddress('fe80::1%eth0')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('example.com')).toBe(false);
  });
});

const lookupOnce = (guard: SsrfGuard, host: string, all: boolean): Promise<unknown> =>
  new Promise((resolve, reject) => guard.lookup(host, { all }, (err, address, family) => (err ? reject(err) : resolve(all ? address : { address, family }))));

describe('SsrfGuard.lookup (request time, after DNS)', () => {
  it('refuses a public-looking name that resolves to loopback', async () => {
    const guard = new SsrfGuard({}, { resolve: fakeDns({ 'rebind.example': ['127.0.0.1'] }) });
    await expect(lookupOnce(guard, 'rebind.example', false)).rejects.toMatchObject({ code: 'GW_ERR_PROXY_SSRF' });
  });

  it('refuses when any one answer is private (mixed public/private records)', async () => {
    const guard = new SsrfGuard({}, { resolve: fakeDns({ 'mixed.example': ['93.184.215.14', '::ffff:10.0.0.1'] }) });
    await expect(lookupOnce(guard, 'mixed.example', true)).rejects.toMatchObject({ code: 'GW_ERR_PROXY_SSRF' });
  });

  it('answers public names in the shape the caller asked for', async () => {
    const guard = new SsrfGuard({}, { resolve: fakeDns({ 'api.example': ['93.184.215.14', '2606:4700::1111'] }) });
    await expect(lookupOnce(guard, 'api.example', false)).resolves.toEqual({ address: '93.184.215.14', family: 4 });
    await expect(lookupOnce(guard, 'api.example', true)).resolves.toHaveLength(2);
  });

  it('lets allow-listed addresses and allow-listed names through', async () => {
    const resolve = fakeDns({ 'mock.test': ['127.0.0.1'], 'svc.corp': ['10.0.0.7'] });
    await expect(lookupOnce(new SsrfGuard({ allow: ['127.0.0.1/32'] }, { resolve }), 'mock.test', false)).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    await expect(lookupOnce(new SsrfGuard({ allow: ['svc.corp'] }, { resolve }), 'svc.corp', false)).resolves.toEqual({ address: '10.0.0.7', family: 4 });
  });

  it('assertUrlResolvesPublic checks literals and resolved names (redirect targets)', async () => {
    const guard = new SsrfGuard({}, { resolve: fakeDns({ 'evil.example': ['169.254.169.254'], 'ok.example': ['93.184.215.14'] }) });
    await expect(guard.assertUrlResolvesPublic('http://evil.example/latest')).rejects.toMatchObject({ code: 'GW_ERR_PROXY_SSRF' });
    await expect(guard.assertUrlResolvesPublic('http://[::ffff:a9fe:a9fe]/')).rejects.toMatchObject({ code: 'GW_ERR_PROXY_SSRF' });
    await expect(guard.assertUrlResolvesPublic('https://ok.example/next')).resolves.toBeInstanceOf(URL);
  });

  it('passes resolver errors through unchanged', async () => {
    const guard = new SsrfGuard({}, { resolve: fakeDns({}) });
    await expect(lookupOnce(guard, 'nowhere.example', false)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  describe('as a node:http Agent lookup against a real loopback server', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('reached'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    const fetchVia = (agent: Agent, host: string): Promise<string> =>
      new Promise((resolve, reject) => {
        get({ host, port, path: '/', agent }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });

    it('refuses `localhost` (really resolving to loopback) without an allow list', async () => {
      const agent = new Agent({ lookup: new SsrfGuard().lookup });
      await expect(fetchVia(agent, 'localhost')).rejects.toMatchObject({ code: 'GW_ERR_PROXY_SSRF' });
      agent.destroy();
    });

    it('connects when 127.0.0.1 is allow-listed', async () => {
      const guard = new SsrfGuard({ allow: ['127.0.0.1', '::1'] });
      const agent = new Agent({ lookup: guard.lookup });
      await expect(fetchVia(agent, 'localhost')).resolves.toBe('reached');
      agent.destroy();
    });
  });
});
