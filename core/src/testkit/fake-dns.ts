import type { LookupAddress } from 'node:dns';
import type { BaseLookup } from '../security/ssrf';

/**
 * A resolver that answers fixed addresses, standing in for DNS in SSRF tests (a public-looking
 * name that resolves to loopback, answers mixing public and private addresses). Unknown names
 * fail with ENOTFOUND, as getaddrinfo does.
 */
export const fakeDns =
  (answers: Record<string, string[]>): BaseLookup =>
  (hostname, _options, callback) => {
    const addresses = answers[hostname];
    if (!addresses) return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
