import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { amzDates, signRequest, type SigV4Credentials } from './sigv4';

/** What the official signer says for the same request: the reference our sync signer must match. */
async function smithySign(
  url: URL,
  headers: Record<string, string>,
  body: string,
  region: string,
  credentials: SigV4Credentials,
  date: Date,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'bedrock', region, credentials, sha256: Sha256 });
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    headers: { ...headers, host: url.host },
    body,
  });
  const signed = await signer.sign(request, { signingDate: date });
  return signed.headers;
}

const creds: SigV4Credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

const cases: { name: string; url: string; body: string; region: string; credentials: SigV4Credentials; date: string; headers: Record<string, string> }[] = [
  {
    name: 'plain model id',
    url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-lite-v1/converse',
    body: '{"messages":[{"role":"user","content":[{"text":"hi"}]}]}',
    region: 'us-east-1',
    credentials: creds,
    date: '2024-05-06T07:08:09.000Z',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
  },
  {
    name: 'model id with a colon (double-escaped path)',
    url: `https://bedrock-runtime.eu-west-3.amazonaws.com/model/${encodeURIComponent('anthropic.claude-3-5-sonnet-20240620-v1:0')}/converse-stream`,
    body: '{"messages":[{"role":"user","content":[{"text":"héllo ✓ \\u0000"}]}],"system":[{"text":"be brief"}]}',
    region: 'eu-west-3',
    credentials: creds,
    date: '2025-12-31T23:59:59.999Z',
    headers: { 'Content-Type': 'application/json', Accept: 'application/vnd.amazon.eventstream' },
  },
  {
    name: 'inference profile ARN, session token, loopback port',
    url: `http://127.0.0.1:4567/model/${encodeURIComponent('arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0')}/converse`,
    body: '',
    region: 'us-west-2',
    credentials: { ...creds, sessionToken: 'FwoGZXIvYXdzEXAMPLE//token+with/odd=chars' },
    date: '2024-02-29T12:00:00.000Z',
    headers: { 'content-type': 'application/json', 'x-custom': '  spaced   value  ' },
  },
  {
    name: 'path with dot segments and special characters',
    url: "https://example.com/base/./model/a!b'c(d)*e/../converse",
    body: '{"a":1}',
    region: 'ap-south-1',
    credentials: creds,
    date: '2023-01-01T00:00:00.000Z',
    headers: { 'content-type': 'application/json' },
  },
];

describe('signRequest (sync SigV4) matches @smithy/signature-v4', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const url = new URL(c.url);
      const date = new Date(c.date);
      const ours = signRequest({ method: 'POST', url, headers: c.headers, body: c.body, region: c.region, service: 'bedrock', credentials: c.credentials, date });
      const reference = await smithySign(url, c.headers, c.body, c.region, c.credentials, date);
      expect(ours.headers.authorization).toBe(reference.authorization);
      expect(ours.headers['x-amz-date']).toBe(reference['x-amz-date']);
      expect(ours.headers['x-amz-content-sha256']).toBe(reference['x-amz-content-sha256']);
      expect(ours.headers['x-amz-security-token']).toBe(reference['x-amz-security-token']);
      expect(ours.signedHost).toBe(url.host);
    });
  }

  it('changes the signature when the body, date, region or secret changes', () => {
    const base = { method: 'POST', url: new URL(cases[0]!.url), headers: {}, body: '{}', region: 'us-east-1', service: 'bedrock', credentials: creds, date: new Date(0) };
    const sig = (over: Partial<typeof base>): string => signRequest({ ...base, ...over }).headers.authorization!;
    const original = sig({});
    expect(sig({ body: '{ }' })).not.toBe(original);
    expect(sig({ date: new Date(1000) })).not.toBe(original);
    expect(sig({ region: 'us-west-2' })).not.toBe(original);
    expect(sig({ credentials: { ...creds, secretAccessKey: 'other' } })).not.toBe(original);
  });

  it('never puts the secret key into any header', () => {
    const signed = signRequest({ method: 'POST', url: new URL(cases[0]!.url), headers: {}, body: '', region: 'us-east-1', service: 'bedrock', credentials: creds, date: new Date(0) });
    expect(JSON.stringify(signed)).not.toContain(creds.secretAccessKey);
  });

  it('formats AWS dates without milliseconds', () => {
    expect(amzDates(new Date('2024-05-06T07:08:09.123Z'))).toEqual({ long: '20240506T070809Z', short: '20240506' });
  });
});
