import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for one JSON request, computed synchronously with node:crypto.
 *
 * WHY not @smithy/signature-v4 directly: its `sign()` is async (pluggable hash and credential
 * providers), while `ProviderAdapter.buildRequest` is synchronous by contract. SigV4 itself is
 * pure hashing, so we follow the published algorithm here and `sigv4.test.ts` proves, for many
 * requests, that the Authorization header is byte-identical to the one @smithy/signature-v4
 * produces for the same inputs (same path escaping, header canonicalisation and checksum header).
 */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV4Input {
  method: string;
  url: URL;
  /** Headers to sign besides host/x-amz-date/x-amz-content-sha256/x-amz-security-token. */
  headers: Record<string, string>;
  body: string;
  region: string;
  service: string;
  credentials: SigV4Credentials;
  date: Date;
}

/** The headers to send: the input headers plus the x-amz-* ones and Authorization. */
export interface SignedHeaders {
  headers: Record<string, string>;
  /** `host` is signed but left for the HTTP client to send (it derives it from the URL). */
  signedHost: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 escaping as AWS wants it: encodeURIComponent plus the five characters it leaves alone. */
const escapeUri = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Non-S3 services sign the path *escaped again* after dot-segment normalisation, so a model id
 * sent as `claude-v1%3A0` is signed as `claude-v1%253A0`. That double escaping is what AWS checks.
 */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalised = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return escapeUri(normalised).replace(/%2F/g, '/');
}

function canonicalQuery(url: URL): string {
  const pairs: [string, string][] = [];
  for (const [key, value] of url.searchParams) pairs.push([escapeUri(key), escapeUri(value)]);
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** Lower-case names, values with runs of whitespace folded, as the spec requires. */
function canonicalHeaders(headers: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    out.set(name.toLowerCase(), value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, ''));
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `20240102T030405Z` and `20240102` */
export function amzDates(date: Date): { long: string; short: string } {
  const long = date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return { long, short: long.slice(0, 8) };
}

export function signRequest(input: SigV4Input): SignedHeaders {
  const { long, short } = amzDates(input.date);
  const payloadHash = sha256Hex(input.body);
  const outgoing: Record<string, string> = {
    ...input.headers,
    'x-amz-date': long,
    'x-amz-content-sha256': payloadHash,
  };
  if (input.credentials.sessionToken) outgoing['x-amz-security-token'] = input.credentials.sessionToken;

  const toSign = canonicalHeaders({ ...outgoing, host: input.url.host });
  const signedHeaderNames = [...toSign.keys()].join(';');
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalPath(input.url.pathname),
    canonicalQuery(input.url),
    [...toSign.entries()].map(([k, v]) => `${k}:${v}`).join('\n'),
    '',
    signedHeaderNames,
    payloadHash,
  ].join('\n');

  const scope = `${short}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = [ALGORITHM, long, scope, sha256Hex(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${input.credentials.secretAccessKey}`, short);
  const kRegion = hmac(kDate, input.region);
  const kService = hmac(kRegion, input.service);
  const kSigning = hmac(kService, 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');

  outgoing.authorization = `${ALGORITHM} Credential=${input.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaderNames}, Signature=${signature}`;
  return { headers: outgoing, signedHost: input.url.host };
}
