import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { GatewayError } from '../errors/gateway-error';

/**
 * SSRF guard for anything the gateway fetches on a tenant's behalf (API proxy upstreams,
 * OAuth token endpoints). Two layers:
 *  - save time / before each request: `assertPublicUrl` refuses URLs whose host is a literal
 *    private address or an obviously internal name (localhost, *.internal, cloud metadata);
 *  - connect time: `SsrfGuard.lookup` is a drop-in `lookup` for node:http(s) Agents and
 *    undici's `connect.lookup`; it resolves the name, then refuses when ANY answer is private,
 *    so a public-looking name that resolves to 127.0.0.1 (or rebinds to it) never connects.
 * Operators open holes explicitly with an allow list of CIDRs, IPs and host names.
 */

export interface SsrfPolicy {
  /** CIDRs (`10.0.0.0/8`, `fd00::/8`), IP literals (`127.0.0.1`) or host names (`localhost`, `*.corp.example`). */
  allow?: readonly string[];
}

type Family = 'ipv4' | 'ipv6';

/** dns.lookup with `all: true`: every address a name resolves to. */
export type BaseLookup = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** Ranges no tenant-controlled URL may reach. Comments say why each is here. */
const BLOCKED_SUBNETS: readonly [string, number, Family][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"; 0.0.0.0 connects to the local host on Linux
  ['10.0.0.0', 8, 'ipv4'], // RFC 1918
  ['100.64.0.0', 10, 'ipv4'], // CGNAT (RFC 6598): provider-internal
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local, includes cloud metadata 169.254.169.254
  ['172.16.0.0', 12, 'ipv4'], // RFC 1918
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments (incl. some metadata services)
  ['192.168.0.0', 16, 'ipv4'], // RFC 1918
  ['198.18.0.0', 15, 'ipv4'], // benchmarking, used inside some clouds
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, includes broadcast 255.255.255.255
  ['::', 128, 'ipv6'], // unspecified
  ['::1', 128, 'ipv6'], // loopback
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // deprecated site-local, still routed internally by some stacks
  ['fc00::', 7, 'ipv6'], // unique-local, includes AWS metadata fd00:ec2::254
  ['ff00::', 8, 'ipv6'], // multicast
];

/** Names that only ever mean something inside the gateway's own network. */
const BLOCKED_HOSTNAMES = new Set(['localhost', 'metadata', 'metadata.google.internal', 'instance-data', 'metadata.azure.internal']);
const BLOCKED_HOST_SUFFIXES = ['.localhost', '.local', '.internal', '.localdomain', '.home.arpa'];

function buildBlockedList(): BlockList {
  const list = new BlockList();
  for (const [net, prefix, family] of BLOCKED_SUBNETS) list.addSubnet(net, prefix, family);
  return list;
}

/** Expands an IPv6 literal into eight 16-bit groups (handles `::` and a dotted IPv4 tail). */
function ipv6Groups(address: string): number[] | null {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const o = dotted[1]!.split('.').map(Number);
    text = text.slice(0, -dotted[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return null;
  const groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  return groups.some((g) => Number.isNaN(g) || g < 0 || g > 0xffff) ? null : groups;
}

const v4FromGroups = (hi: number, lo: number): string => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

/**
 * IPv6 forms that carry an IPv4 address a stack may end up connecting to: IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
 */
export function embeddedIPv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return v4FromGroups(g[6]!, g[7]!);
  if (zeros(0, 6) && (g[6] !== 0 || g[7]! > 1)) return v4FromGroups(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4FromGroups(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4FromGroups(g[1]!, g[2]!);
  return null;
}

const stripBrackets = (host: string): string => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);
const normaliseHost = (host: string): string => stripBrackets(host.trim().toLowerCase()).replace(/\.$/, '');

interface HostPattern {
  exact: string | null;
  /** `*.corp.example` -> `.corp.example` */
  suffix: string | null;
}

/** A compiled policy. Build one per allow list and reuse it (agents keep it for their lifetime). */
export class SsrfGuard {
  private readonly blocked = buildBlockedList();
  private readonly allowedAddresses = new BlockList();
  private readonly allowedHosts: HostPattern[] = [];

  private readonly baseLookup: BaseLookup;

  /** `resolve` replaces dns.lookup (tests: a public-looking name that answers 127.0.0.1). */
  constructor(policy: SsrfPolicy = {}, options: { resolve?: BaseLookup } = {}) {
    this.baseLookup = options.resolve ?? ((hostname, opts, callback) => dnsLookup(hostname, opts, callback));
    for (const raw of policy.allow ?? []) {
      const entry = raw.trim();
      const [net, prefixText] = entry.split('/');
      const ip = normaliseHost(net ?? '');
      const family = isIP(ip);
      if (family !== 0) {
        const type: Family = family === 4 ? 'ipv4' : 'ipv6';
        const max = family === 4 ? 32 : 128;
        const prefix = prefixText === undefined ? max : Number(prefixText);
        if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (prefixText !== undefined && !/^\d+$/.test(prefixText)))
          throw new Error(`ssrf allow entry "${raw}" has an invalid prefix length`);
        this.allowedAddresses.addSubnet(ip, prefix, type);
        continue;
      }
      if (prefixText !== undefined || !/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry.replace(/\.$/, '')))
        throw new Error(`ssrf allow entry "${raw}" is neither an IP, a CIDR nor a host name`);
      const host = normaliseHost(entry);
      this.allowedHosts.push(host.startsWith('*.') ? { exact: null, suffix: host.slice(1) } : { exact: host, suffix: null });
    }
  }

  /** True when the operator allow-listed this host name (its answers are then trusted too). */
  isHostAllowListed(hostname: string): boolean {
    const host = normaliseHost(hostname);
    return this.allowedHosts.some((p) => (p.exact !== null ? p.exact === host : host.endsWith(p.suffix!)));
  }

  /** Is a concrete IP address (v4 or v6, any IPv4-in-IPv6 form) allowed? */
  isAddressAllowed(address: string): boolean {
    const ip = normaliseHost(address);
    const family = isIP(ip);
    if (family === 0) return false;
    const type: Family = family === 4 ? 'ipv4' : 'ipv6';
    if (this.allowedAddresses.check(ip, type)) return true;
    if (this.blocked.check(ip, type)) return false;
    if (type === 'ipv6') {
      const v4 = embeddedIPv4(ip);
      if (v4 !== null) return this.isAddressAllowed(v4);
    }
    return true;
  }

  /** Why a host (name or literal) is refused before any DNS, or null when it may be tried. */
  refusalForHost(hostname: string): string | null {
    const host = normaliseHost(hostname);
    if (host === '') return 'the URL has no host';
    if (this.isHostAllowListed(host)) return null;
    if (isIP(host) !== 0) return this.isAddressAllowed(host) ? null : 'the host is a private, loopback, link-local or metadata address';
    // Numeric-looking names that are not canonical IPs (e.g. "0x7f.1") would be read as IPv4 by inet_aton.
    if (/^[0-9.x]+$/i.test(host) && /^[0-9]/.test(host)) return 'the host is an obfuscated IP address';
    if (BLOCKED_HOSTNAMES.has(host) || BLOCKED_HOST_SUFFIXES.some((s) => host.endsWith(s))) return 'the host name is internal';
    return null;
  }

  /** Throws GW_ERR_PROXY_SSRF unless the URL is http(s) and its host is not obviously internal. */
  assertUrl(url: string | URL): URL {
    let parsed: URL;
    try {
      parsed = typeof url === 'string' ? new URL(url) : url;
    } catch {
      throw new GatewayError('GW_ERR_PROXY_SSRF', { message: 'The upstream URL is not a valid URL.', details: { reason: 'invalid_url' } });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new GatewayError('GW_ERR_PROXY_SSRF', { message: 'Only http and https upstream URLs are allowed.', details: { reason: 'scheme' } });
    if (parsed.username || parsed.password)
      throw new GatewayError('GW_ERR_PROXY_SSRF', { message: 'Upstream URLs must not carry credentials.', details: { reason: 'userinfo' } });
    const refusal = this.refusalForHost(parsed.hostname);
    if (refusal) throw new GatewayError('GW_ERR_PROXY_SSRF', { message: `The upstream address is not allowed: ${refusal}.`, details: { reason: refusal, host: parsed.hostname } });
    return parsed;
  }

  /**
   * assertUrl, then (for host names) a resolution through `lookup`: the full request-time check
   * for a URL the gateway did not connect to itself, such as a redirect's Location.
   */
  async assertUrlResolvesPublic(url: string | URL): Promise<URL> {
    const parsed = this.assertUrl(url);
    const host = normaliseHost(parsed.hostname);
    if (isIP(host) !== 0 || this.isHostAllowListed(host)) return parsed;
    await new Promise<void>((resolve, reject) => this.lookup(host, { all: true }, (err) => (err ? reject(err) : resolve())));
    return parsed;
  }

  /**
   * A `lookup` for node:http(s) Agents (`new Agent({ lookup })`) and undici (`connect: { lookup }`).
   * It asks the base resolver for every address and refuses the connection when any answer is
   * blocked, so DNS answers mixing public and private addresses cannot slip a private one through.
   * Literal IPs never reach a lookup (net connects to them directly): check URLs with assertUrl too.
   */
  readonly lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    this.baseLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      if (list.length === 0) return callback(Object.assign(new Error(`no addresses for ${hostname}`), { code: 'ENOTFOUND' }), '');
      if (!this.isHostAllowListed(hostname)) {
        const refused = list.find((a) => !this.isAddressAllowed(a.address));
        if (refused)
          return callback(
            new GatewayError('GW_ERR_PROXY_SSRF', {
              message: `The upstream address is not allowed: ${hostname} resolves to a private, loopback, link-local or metadata address.`,
              details: { reason: 'resolved_private', host: hostname, address: refused.address },
            }),
            '',
          );
      }
      if (options.all) return callback(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };

}

/** Save-time check: throws GW_ERR_PROXY_SSRF for non-http(s) URLs and private or internal hosts. */
export function assertPublicUrl(url: string | URL, policy: SsrfPolicy = {}): URL {
  return new SsrfGuard(policy).assertUrl(url);
}

/** True for a literal IPv4/IPv6 address in a blocked range (no allow list). */
export function isPrivateAddress(address: string): boolean {
  return isIP(normaliseHost(address)) !== 0 && !new SsrfGuard().isAddressAllowed(address);
}
