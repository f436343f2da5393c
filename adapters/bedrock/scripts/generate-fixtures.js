#!/usr/bin/env node
/**
 * Regenerates the machine-made parts of the golden fixtures, from the hand-written parts:
 *
 *  - <case>/upstream-stream.b64 from <case>/upstream-events.json, framed exactly as Bedrock
 *    frames ConverseStream (application/vnd.amazon.eventstream, string headers, JSON payloads);
 *  - expectedUpstream.headers in <case>/case.json (x-amz-date, x-amz-content-sha256,
 *    x-amz-security-token, authorization), signed by the OFFICIAL @smithy/signature-v4 at the
 *    fixed clock in __fixtures__/clock.json, so the adapter's own signer is checked against it.
 *
 * Usage: node adapters/bedrock/scripts/generate-fixtures.js   (idempotent; commit the output)
 */
'use strict';
const { readdirSync, readFileSync, writeFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { EventStreamCodec } = require('@smithy/eventstream-codec');
const { fromUtf8, toUtf8 } = require('@smithy/util-utf8');
const { SignatureV4 } = require('@smithy/signature-v4');
const { HttpRequest } = require('@smithy/protocol-http');
const { Sha256 } = require('@aws-crypto/sha256-js');

const FIXTURES = join(__dirname, '..', 'src', '__fixtures__');
const clock = JSON.parse(readFileSync(join(FIXTURES, 'clock.json'), 'utf8'));

function encodeEvents(events) {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const frames = events.map(({ headers, payload }) => {
    const typed = {};
    for (const [name, value] of Object.entries(headers)) typed[name] = { type: 'string', value };
    return codec.encode({ headers: typed, body: fromUtf8(JSON.stringify(payload)) });
  });
  return Buffer.concat(frames);
}

async function signedHeaders(c) {
  const { options, secret } = c.target.credential;
  const region = options.region || 'us-east-1';
  const url = new URL(c.expectedUpstream.url);
  const accept = c.request.stream ? 'application/vnd.amazon.eventstream' : 'application/json';
  const credentials = { accessKeyId: options.accessKeyId, secretAccessKey: secret, ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}) };
  const signer = new SignatureV4({ service: 'bedrock', region, credentials, sha256: Sha256 });
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    path: url.pathname,
    headers: { 'content-type': 'application/json', accept, host: url.host },
    body: JSON.stringify(c.expectedUpstream.body),
  });
  const signed = await signer.sign(request, { signingDate: new Date(clock.now) });
  const out = { 'content-type': 'application/json', accept };
  for (const name of ['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'authorization']) {
    if (signed.headers[name] !== undefined) out[name] = signed.headers[name];
  }
  return out;
}

async function main() {
  for (const entry of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(FIXTURES, entry.name);
    const eventsPath = join(dir, 'upstream-events.json');
    if (existsSync(eventsPath)) {
      const bytes = encodeEvents(JSON.parse(readFileSync(eventsPath, 'utf8')));
      writeFileSync(join(dir, 'upstream-stream.b64'), `${bytes.toString('base64')}\n`);
    }
    const casePath = join(dir, 'case.json');
    const c = JSON.parse(readFileSync(casePath, 'utf8'));
    if (c.expectedUpstream && c.expectedUpstream.url && c.expectedUpstream.body !== undefined) {
      c.expectedUpstream.headers = await signedHeaders(c);
      writeFileSync(casePath, `${JSON.stringify(c, null, 2)}\n`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
