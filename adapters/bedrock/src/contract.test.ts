import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { runAdapterContract } from '@portcullis/core/testkit';
import { createBedrockAdapter } from './index';

const FIXTURES = join(__dirname, '__fixtures__');
const clock = JSON.parse(readFileSync(join(FIXTURES, 'clock.json'), 'utf8')) as { now: string; newId: string };

// The fixed clock makes the SigV4 Authorization header in every case.json golden.
runAdapterContract(createBedrockAdapter({ now: () => Date.parse(clock.now), newId: () => clock.newId }), FIXTURES);

describe('bedrock stream fixtures', () => {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const dirs = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(FIXTURES, d.name, 'upstream-events.json')));

  it('exist', () => expect(dirs.length).toBeGreaterThanOrEqual(3));

  for (const dir of dirs) {
    it(`${dir.name}: upstream-stream.b64 decodes back to upstream-events.json (regenerate with scripts/generate-fixtures.js)`, () => {
      const events = JSON.parse(readFileSync(join(FIXTURES, dir.name, 'upstream-events.json'), 'utf8')) as { headers: Record<string, string>; payload: unknown }[];
      let bytes: Uint8Array = Buffer.from(readFileSync(join(FIXTURES, dir.name, 'upstream-stream.b64'), 'utf8').trim(), 'base64');
      const decoded: { headers: Record<string, string>; payload: unknown }[] = [];
      while (bytes.byteLength > 0) {
        const length = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
        const message = codec.decode(bytes.subarray(0, length));
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers)) headers[k] = String(v.value);
        decoded.push({ headers, payload: JSON.parse(toUtf8(message.body)) as unknown });
        bytes = bytes.subarray(length);
      }
      expect(decoded).toEqual(events);
    });
  }
});
