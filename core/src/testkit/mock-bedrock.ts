import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { startMockServer, sleep, type MockServer, type RecordedRequest } from './mock-http';
import { decideScenario, splitIntoChunks, type ScenarioInput, type ScenarioOutcome, type ScenarioTool } from './mock-scenarios';

/**
 * A loopback stand-in for Bedrock Runtime's Converse API: `POST /model/{modelId}/converse`
 * (JSON) and `/model/{modelId}/converse-stream` (binary `application/vnd.amazon.eventstream`,
 * framed by the same codec the AWS SDK decodes with, payloads padded with `p` as AWS does).
 * Errors carry `x-amzn-errortype` and `{message}` like the real service, so the official
 * SDK raises its own exception classes against it. Steered by the neutral magic words in
 * `mock-scenarios.ts`.
 *
 * Auth: every request needs a SigV4 Authorization header (else 403 UnrecognizedClientException).
 * With `credentials`, the signature is recomputed with @smithy/signature-v4 and must match.
 *
 * Dependencies: the @smithy/@aws-crypto packages come from the root node_modules (the AWS SDK
 * and the Bedrock adapter bring them); they are testkit-only and not core runtime dependencies.
 */
export interface MockBedrockOptions {
  /** When set, requests must be signed with this key pair (signature verified). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  port?: number;
}

type UnknownRecord = { [key: string]: unknown };
const isRecord = (v: unknown): v is UnknownRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/** AWS error shape name for each HTTP status the scenarios ask for. */
const ERROR_TYPE_BY_STATUS: Record<number, string> = {
  400: 'ValidationException',
  401: 'UnrecognizedClientException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};
const errorTypeFor = (status: number): string =>
  ERROR_TYPE_BY_STATUS[status] ?? (status >= 500 ? 'InternalServerException' : 'ValidationException');

function sendError(res: ServerResponse, requestId: string, status: number, errorType: string, message: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId,
    // AWS appends the shape's namespace after a colon; clients must strip it.
    'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    ...extra,
  });
  res.end(JSON.stringify({ message }));
}

const headerValue = (req: RecordedRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

const AUTH_PATTERN = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Returns the reason a request is not acceptably signed, or undefined. */
async function authProblem(req: RecordedRequest, options: MockBedrockOptions): Promise<{ type: string; message: string } | undefined> {
  const auth = headerValue(req, 'authorization');
  const match = auth ? AUTH_PATTERN.exec(auth) : null;
  const amzDate = headerValue(req, 'x-amz-date');
  if (!match || !amzDate) return { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  if (!options.credentials) return undefined;
  const [, accessKeyId, , region, service, signedHeaders, signature] = match;
  if (accessKeyId !== options.credentials.accessKeyId) {
    return { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  // Re-sign exactly the headers the client said it signed, at the time it said it signed.
  const headers: Record<string, string> = {};
  for (const name of signedHeaders!.split(';')) headers[name] = headerValue(req, name) ?? '';
  const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!when) return { type: 'InvalidSignatureException', message: 'Invalid X-Amz-Date.' };
  const signingDate = new Date(Date.UTC(+when[1]!, +when[2]! - 1, +when[3]!, +when[4]!, +when[5]!, +when[6]!));
  const [path, query = ''] = req.url.split('?');
  // applyChecksum off: the checksum header counts only if the client itself signed it.
  const signer = new SignatureV4({ service: service!, region: region!, credentials: options.credentials, sha256: Sha256, applyChecksum: false });
  const expected = await signer.sign(
    new HttpRequest({
      method: req.method,
      hostname: (headers.host ?? '127.0.0.1').split(':')[0]!,
      path: path!,
      query: Object.fromEntries(new URLSearchParams(query)),
      headers,
      body: req.body,
    }),
    { signingDate, signableHeaders: new Set(Object.keys(headers)) },
  );
  const expectedSignature = /Signature=([0-9a-f]{64})/.exec(expected.headers.authorization ?? '')?.[1];
  if (expectedSignature !== signature) {
    return { type: 'InvalidSignatureException', message: 'The request signature we calculated does not match the signature you provided.' };
  }
  return undefined;
}

/** Plain text of Converse content blocks (images and documents skipped). */
const blocksText = (content: unknown): string =>
  Array.isArray(content)
    ? content.filter((b): b is UnknownRecord => isRecord(b) && typeof b.text === 'string').map((b) => b.text as string).join('')
    : '';

/** A request the real API would refuse with a ValidationException. */
class MockValidationError extends Error {}

/** Bedrock's constraint on toolUseId (toolUse and toolResult): 1 to 64 of [a-zA-Z0-9_-]. */
const TOOL_USE_ID = /^[a-zA-Z0-9_-]{1,64}$/;

const DOCUMENT_FORMATS = new Set(['pdf', 'csv', 'doc', 'docx', 'xls', 'xlsx', 'html', 'txt', 'md']);
/** Letters, digits, hyphens, parentheses, square brackets, and whitespace never twice in a row. */
const DOCUMENT_NAME = /^[A-Za-z0-9\-()[\]]+(?:\s[A-Za-z0-9\-()[\]]+)*$/;
const MAX_DOCUMENTS = 5;

/** What Converse refuses about document blocks, across the whole request. */
function checkDocuments(messages: unknown[]): void {
  const names = new Set<string>();
  let count = 0;
  for (const m of messages) {
    const content = isRecord(m) && Array.isArray(m.content) ? m.content : [];
    for (const b of content) {
      if (!isRecord(b) || !isRecord(b.document)) continue;
      const doc = b.document;
      count += 1;
      if (typeof doc.format !== 'string' || !DOCUMENT_FORMATS.has(doc.format))
        throw new MockValidationError(`1 validation error detected: Value '${String(doc.format)}' at 'document.format' failed to satisfy constraint: Member must satisfy enum value set: [${[...DOCUMENT_FORMATS].join(', ')}]`);
      if (typeof doc.name !== 'string' || !DOCUMENT_NAME.test(doc.name))
        throw new MockValidationError(
          'The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can\'t contain more than one consecutive whitespace character.',
        );
      if (names.has(doc.name.toLowerCase())) throw new MockValidationError("Messages can't contain duplicate document names. Rename the document and retry your request.");
      names.add(doc.name.toLowerCase());
      const source = isRecord(doc.source) ? doc.source : {};
      if (typeof source.bytes !== 'string' && !isRecord(source.s3Location)) throw new MockValidationError('The document source is missing.');
    }
  }
  if (count > MAX_DOCUMENTS) throw new MockValidationError(`You can't include more than ${MAX_DOCUMENTS} documents in a request.`);
}

function checkToolUseIds(content: unknown[], messageIndex: number): void {
  content.forEach((b, j) => {
    if (!isRecord(b)) return;
    const block = isRecord(b.toolUse) ? b.toolUse : isRecord(b.toolResult) ? b.toolResult : null;
    if (block && (typeof block.toolUseId !== 'string' || !TOOL_USE_ID.test(block.toolUseId)))
      throw new MockValidationError(
        `1 validation error detected: Value at 'messages.${messageIndex + 1}.member.content.${j + 1}.member.${isRecord(b.toolUse) ? 'toolUse' : 'toolResult'}.toolUseId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+`,
      );
  });
}

/** Converse request -> neutral scenario input. toolResult blocks count as "tool" messages. */
function toScenarioInput(body: UnknownRecord): ScenarioInput {
  const messages: ScenarioInput['messages'] = [];
  checkDocuments(Array.isArray(body.messages) ? body.messages : []);
  const system = blocksText(body.system);
  if (system) messages.push({ role: 'system', text: system });
  for (const [i, m] of (Array.isArray(body.messages) ? body.messages : []).entries()) {
    if (!isRecord(m)) continue;
    const content = Array.isArray(m.content) ? m.content : [];
    checkToolUseIds(content, i);
    if (m.role === 'assistant') {
      messages.push({ role: 'assistant', text: blocksText(content) });
      continue;
    }
    for (const b of content) {
      if (isRecord(b) && isRecord(b.toolResult)) {
        const parts = Array.isArray(b.toolResult.content) ? b.toolResult.content : [];
        const text = parts.map((p) => (isRecord(p) ? (typeof p.text === 'string' ? p.text : p.json !== undefined ? JSON.stringify(p.json) : '') : '')).join('');
        messages.push({ role: 'tool', text });
      }
    }
    if (!content.every((b) => isRecord(b) && isRecord(b.toolResult))) messages.push({ role: 'user', text: blocksText(content) });
  }
  const tools: ScenarioTool[] = [];
  const toolConfig = isRecord(body.toolConfig) ? body.toolConfig : {};
  for (const t of Array.isArray(toolConfig.tools) ? toolConfig.tools : []) {
    const spec = isRecord(t) && isRecord(t.toolSpec) ? t.toolSpec : undefined;
    if (!spec || typeof spec.name !== 'string') continue;
    const schema = isRecord(spec.inputSchema) && isRecord(spec.inputSchema.json) ? spec.inputSchema.json : undefined;
    tools.push({ name: spec.name, ...(schema ? { parameters: schema } : {}) });
  }
  // Native structured output, as the real API takes it: outputConfig.textFormat with the schema as JSON text.
  // (A "JSON only" system instruction is deliberately not special-cased: the mock does not pretend to follow prompts.)
  let json: ScenarioInput['json'] = 'none';
  const textFormat = isRecord(body.outputConfig) && isRecord(body.outputConfig.textFormat) ? body.outputConfig.textFormat : undefined;
  const jsonSchema = textFormat && isRecord(textFormat.structure) && isRecord(textFormat.structure.jsonSchema) ? textFormat.structure.jsonSchema : undefined;
  if (textFormat?.type === 'json_schema' && typeof jsonSchema?.schema === 'string') {
    try {
      const schema: unknown = JSON.parse(jsonSchema.schema);
      if (isRecord(schema)) json = { schema };
    } catch {
      throw new MockValidationError('outputConfig.textFormat.structure.jsonSchema.schema is not valid JSON');
    }
  }
  const inference = isRecord(body.inferenceConfig) ? body.inferenceConfig : {};
  return { messages, tools, json, ...(typeof inference.maxTokens === 'number' ? { maxTokens: inference.maxTokens } : {}) };
}

const usageOf = (u: { inputTokens: number; outputTokens: number }): UnknownRecord => ({
  inputTokens: u.inputTokens,
  outputTokens: u.outputTokens,
  totalTokens: u.inputTokens + u.outputTokens,
});

function converseJson(outcome: Extract<ScenarioOutcome, { kind: 'text' | 'tool-calls' }>): UnknownRecord {
  const content =
    outcome.kind === 'text'
      ? [{ text: outcome.text }]
      : outcome.calls.map((c) => ({ toolUse: { toolUseId: c.id, name: c.name, input: JSON.parse(c.arguments) as unknown } }));
  const stopReason = outcome.kind === 'tool-calls' ? 'tool_use' : outcome.finish === 'length' ? 'max_tokens' : 'end_turn';
  return { output: { message: { role: 'assistant', content } }, stopReason, usage: usageOf(outcome.usage), metrics: { latencyMs: 42 } };
}

/** AWS pads every event payload with a `p` field of varying length (hides token lengths). */
const padding = (seed: number): string => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0'.slice(0, 4 + ((seed * 7) % 40));

async function streamConverse(res: ServerResponse, requestId: string, outcome: Extract<ScenarioOutcome, { kind: 'text' | 'tool-calls' }>): Promise<void> {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  let seq = 0;
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': requestId });
  const write = async (headers: Record<string, string>, payload: UnknownRecord, pace = true): Promise<void> => {
    const typed = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { type: 'string' as const, value: v }]));
    const frame = codec.encode({ headers: typed, body: fromUtf8(JSON.stringify(payload)) });
    if (!res.write(frame)) await new Promise<void>((r) => res.once('drain', () => r()));
    if (pace && outcome.delayMs > 0) await sleep(outcome.delayMs);
  };
  const event = (type: string, payload: UnknownRecord, pace = true): Promise<void> =>
    write({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, { ...payload, p: padding(seq++) }, pace);

  await event('messageStart', { role: 'assistant' }, false);
  let stopReason: string;
  if (outcome.kind === 'text') {
    for (const [i, chunk] of outcome.chunks.entries()) {
      if (outcome.streamError && i === 2) {
        await write(
          { ':exception-type': 'modelStreamErrorException', ':content-type': 'application/json', ':message-type': 'exception' },
          { message: 'Mock model stream error', originalStatusCode: 500, originalMessage: 'upstream model failed mid-stream' },
        );
        res.end();
        return;
      }
      await event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: chunk } });
    }
    await event('contentBlockStop', { contentBlockIndex: 0 });
    stopReason = outcome.finish === 'length' ? 'max_tokens' : 'end_turn';
  } else {
    for (const [i, call] of outcome.calls.entries()) {
      await event('contentBlockStart', { contentBlockIndex: i, start: { toolUse: { toolUseId: call.id, name: call.name } } });
      for (const part of splitIntoChunks(call.arguments, 3)) await event('contentBlockDelta', { contentBlockIndex: i, delta: { toolUse: { input: part } } });
      await event('contentBlockStop', { contentBlockIndex: i });
    }
    stopReason = 'tool_use';
  }
  await event('messageStop', { stopReason }, false);
  await event('metadata', { usage: usageOf(outcome.usage), metrics: { latencyMs: 42 } }, false);
  res.end();
}

export async function startMockBedrock(options: MockBedrockOptions = {}): Promise<MockServer> {
  return startMockServer(async (req, res) => {
    const requestId = randomUUID();
    const route = ROUTE.exec(req.url.split('?')[0]!);
    if (req.method !== 'POST' || !route) {
      // API Gateway-style answer for an unknown route, as the real endpoint gives.
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'UnknownOperationException' });
      res.end(JSON.stringify({ message: 'UnknownOperationException' }));
      return;
    }
    const problem = await authProblem(req, options);
    if (problem) return sendError(res, requestId, 403, problem.type, problem.message);

    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return sendError(res, requestId, 400, 'ValidationException', 'Malformed input request, please reformat your input and try again.');
    }
    if (!isRecord(body) || !Array.isArray(body.messages) || body.messages.length === 0) {
      return sendError(res, requestId, 400, 'ValidationException', 'A conversation must start with a user message.');
    }

    let input: ScenarioInput;
    try {
      input = toScenarioInput(body);
    } catch (err) {
      if (err instanceof MockValidationError) return sendError(res, requestId, 400, 'ValidationException', err.message);
      throw err;
    }
    const outcome = decideScenario(input);
    switch (outcome.kind) {
      case 'error':
        return sendError(
          res,
          requestId,
          outcome.status,
          errorTypeFor(outcome.status),
          outcome.message,
          outcome.retryAfterSeconds !== undefined ? { 'retry-after': String(outcome.retryAfterSeconds) } : {},
        );
      case 'html-error':
        res.writeHead(outcome.status, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': route[2] === 'converse-stream' ? 'application/vnd.amazon.eventstream' : 'application/json', 'x-amzn-requestid': requestId });
        res.end('this is not what Bedrock sends');
        return;
      default:
        if (route[2] === 'converse-stream') return streamConverse(res, requestId, outcome);
        if (outcome.delayMs > 0) await sleep(outcome.delayMs);
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId });
        res.end(JSON.stringify(converseJson(outcome)));
    }
  }, options.port ?? 0);
}
