import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameDecoder, ProviderAdapter, Target, UpstreamEvent } from '../spec/adapter';
import type { CanonicalChatRequest } from '../spec/chat';
import type { StreamPart } from '../spec/stream';
import { createSseDecoder } from '../upstream/sse-decoder';

/**
 * The one contract suite every provider adapter passes, driven by golden fixtures:
 *
 *   <fixturesDir>/<case>/case.json            { description, target, request, expectedUpstream? }
 *   <fixturesDir>/<case>/upstream-response.json  real-shaped provider JSON      (optional)
 *   <fixturesDir>/<case>/expected-response.json  canonical response           (with the above)
 *   <fixturesDir>/<case>/upstream-stream.sse   raw SSE bytes as the provider sends them (optional)
 *   <fixturesDir>/<case>/upstream-stream.b64   or: raw binary stream, base64 (event-stream framing)
 *   <fixturesDir>/<case>/expected-parts.json   canonical StreamPart[]       (with either stream file)
 *   <fixturesDir>/errors.json                  [{ status, body, headers?, expect: {code, status, retryable, retryAfterMs?} }]
 *
 * Streams are re-fed split at every byte offset (two chunks) and one byte at a time: the
 * decoded parts must be identical however the bytes arrive.
 */
export interface ContractCase {
  name: string;
  description?: string;
  target: Target;
  request: CanonicalChatRequest;
  expectedUpstream?: {
    method?: string;
    url?: string;
    /** Headers that must be present with these values (others may exist). */
    headers?: Record<string, string>;
    /** Header names that must be absent (case-insensitive). */
    absentHeaders?: string[];
    /** The body, compared after JSON.parse. */
    body?: unknown;
  };
  upstreamResponse?: unknown;
  expectedResponse?: unknown;
  upstreamStream?: Uint8Array;
  expectedParts?: StreamPart[];
}

export interface ErrorCase {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  expect: { code: string; status: number; retryable: boolean; retryAfterMs?: number };
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

export function loadContractCases(fixturesDir: string): ContractCase[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => {
      const dir = join(fixturesDir, d.name);
      const spec = readJson(join(dir, 'case.json')) as Omit<ContractCase, 'name'>;
      const c: ContractCase = { ...spec, name: d.name };
      if (existsSync(join(dir, 'upstream-response.json'))) {
        c.upstreamResponse = readJson(join(dir, 'upstream-response.json'));
        c.expectedResponse = readJson(join(dir, 'expected-response.json'));
      }
      if (existsSync(join(dir, 'upstream-stream.sse'))) c.upstreamStream = readFileSync(join(dir, 'upstream-stream.sse'));
      if (existsSync(join(dir, 'upstream-stream.b64')))
        c.upstreamStream = Buffer.from(readFileSync(join(dir, 'upstream-stream.b64'), 'utf8').trim(), 'base64');
      if (c.upstreamStream) c.expectedParts = readJson(join(dir, 'expected-parts.json')) as StreamPart[];
      return c;
    });
}

export function loadErrorCases(fixturesDir: string): ErrorCase[] {
  const path = join(fixturesDir, 'errors.json');
  return existsSync(path) ? (readJson(path) as ErrorCase[]) : [];
}

/** Feeds raw upstream bytes through framing and the adapter's decoder, chunked as given. */
export function decodeStream(adapter: ProviderAdapter, target: Target, chunks: Uint8Array[]): StreamPart[] {
  const framer: FrameDecoder = adapter.createFrameDecoder ? adapter.createFrameDecoder() : createSseDecoder();
  const decoder = adapter.createStreamDecoder(target);
  const parts: StreamPart[] = [];
  const feed = (events: UpstreamEvent[]): void => {
    for (const e of events) parts.push(...decoder.push(e));
  };
  for (const chunk of chunks) feed(framer.push(chunk));
  feed(framer.end());
  parts.push(...decoder.end());
  return parts;
}

const headerLookup = (headers: Record<string, string>, name: string): string | undefined => {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
};

/** Registers the contract tests with Jest's globals (describe/it/expect). */
export function runAdapterContract(adapter: ProviderAdapter, fixturesDir: string): void {
  const cases = loadContractCases(fixturesDir);
  const errorCases = loadErrorCases(fixturesDir);

  describe(`adapter contract: ${adapter.providers.join(', ')}`, () => {
    it('declares spec v1 and at least one provider', () => {
      expect(adapter.specVersion).toBe('v1');
      expect(adapter.providers.length).toBeGreaterThan(0);
    });

    it('has fixtures (a contract with no cases proves nothing)', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    for (const c of cases) {
      describe(c.name, () => {
        if (c.expectedUpstream) {
          const expected = c.expectedUpstream;
          it('builds the expected upstream request', () => {
            const built = adapter.buildRequest(c.request, c.target);
            if (expected.method) expect(built.method).toBe(expected.method);
            if (expected.url) expect(built.url).toBe(expected.url);
            for (const [name, value] of Object.entries(expected.headers ?? {}))
              expect([name, headerLookup(built.headers, name)]).toEqual([name, value]);
            for (const name of expected.absentHeaders ?? []) expect([name, headerLookup(built.headers, name)]).toEqual([name, undefined]);
            if (expected.body !== undefined) expect(JSON.parse(built.body ?? 'null')).toEqual(expected.body);
            expect(Array.isArray(built.warnings)).toBe(true);
            // The secret may only travel in headers, never in the URL or body.
            if (c.target.credential.secret.length > 0) {
              expect(built.url.includes(c.target.credential.secret)).toBe(false);
              expect((built.body ?? '').includes(c.target.credential.secret)).toBe(false);
            }
          });
        }
        if (c.upstreamResponse !== undefined) {
          it('parses the upstream response into the expected canonical response', () => {
            const parsed = adapter.parseResponse(c.upstreamResponse, { status: 200, headers: new Headers(), target: c.target });
            expect(JSON.parse(JSON.stringify(parsed))).toEqual(c.expectedResponse);
          });
        }
        if (c.upstreamStream && c.expectedParts) {
          const bytes = c.upstreamStream;
          const expectedParts = c.expectedParts;
          it('decodes the stream whole', () => {
            expect(decodeStream(adapter, c.target, [bytes])).toEqual(expectedParts);
          });
          it('decodes the stream split at every byte offset', () => {
            for (let cut = 1; cut < bytes.length; cut++) {
              const parts = decodeStream(adapter, c.target, [bytes.subarray(0, cut), bytes.subarray(cut)]);
              if (JSON.stringify(parts) !== JSON.stringify(expectedParts)) {
                expect({ cut, parts }).toEqual({ cut, parts: expectedParts });
              }
            }
          });
          it('decodes the stream one byte at a time', () => {
            const oneByOne = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
            expect(decodeStream(adapter, c.target, oneByOne)).toEqual(expectedParts);
          });
        }
      });
    }

    for (const [i, e] of errorCases.entries()) {
      it(`maps upstream error #${i} (HTTP ${e.status}) to ${e.expect.code}`, () => {
        const mapped = adapter.mapError(e.status, e.body, new Headers(e.headers ?? {}));
        expect({ code: mapped.code, status: mapped.status, retryable: mapped.retryable }).toEqual({
          code: e.expect.code,
          status: e.expect.status,
          retryable: e.expect.retryable,
        });
        if (e.expect.retryAfterMs !== undefined) expect(mapped.retryAfterMs).toBe(e.expect.retryAfterMs);
        expect(typeof mapped.message).toBe('string');
      });
    }
  });
}
