import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startMockServer, sleep, writeSse, type MockServer, type RecordedRequest } from './mock-http';
import { decideScenario, mockTokenCount, type ScenarioInput, type ScenarioOutcome } from './mock-scenarios';

/**
 * A loopback stand-in for Google's Generative Language API (v1beta), shaped closely enough
 * that the official `@google/genai` SDK talks to it unchanged (`httpOptions: { baseUrl }`):
 *
 *   POST /v1beta/models/{model}:generateContent
 *   POST /v1beta/models/{model}:streamGenerateContent?alt=sse
 *   POST /v1beta/models/{model}:embedContent
 *   POST /v1beta/models/{model}:batchEmbedContents
 *
 * The key is read from `x-goog-api-key` only. Missing -> 401 UNAUTHENTICATED; when `apiKey`
 * is set, a different key -> 400 INVALID_ARGUMENT with reason API_KEY_INVALID (what Google
 * really answers). Errors use Google's `{error:{code,message,status,details}}` envelope.
 * Behaviour is steered by the neutral magic words of mock-scenarios.ts.
 *
 * Models named `gemini-3*` and later behave like Gemini 3 thinking models: the first function
 * call of each answer carries a `thoughtSignature` (beside `functionCall`, in standard base64),
 * and a request whose current turn replays function calls is refused with Google's 400 unless
 * the first call of each step carries a signature this mock issued (or Google's documented
 * skip value).
 */
export interface MockGeminiOptions {
  /** When set, only this key is accepted. */
  apiKey?: string;
  port?: number;
  /** Length of mock embedding vectors when the request gives no outputDimensionality. */
  embeddingDimensions?: number;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function googleError(status: number, message: string, details?: Json[]): Json {
  const error: Json = { code: status, message, status: STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION') };
  if (details) error.details = details;
  return { error };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) {
    const details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` }];
    sendJson(res, status, googleError(status, message, details), { 'retry-after': String(retryAfterSeconds) });
  } else {
    sendJson(res, status, googleError(status, message));
  }
}

/** Plain text of a Content's parts, for the scenario "tokenizer" and echo. */
function partsText(parts: unknown[]): string {
  return parts
    .filter(isRecord)
    .map((p) => (typeof p.text === 'string' ? p.text : isRecord(p.functionResponse) ? JSON.stringify(p.functionResponse.response ?? {}) : ''))
    .join('');
}

/**
 * Gemini's Schema spells types as the proto enum (`OBJECT`, `STRING`; the SDK sends these) but
 * also accepts JSON-Schema spelling; the scenario engine reads the latter.
 */
function lowerCaseTypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCaseTypes);
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'type' && typeof v === 'string' ? v.toLowerCase() : lowerCaseTypes(v);
  return out;
}

/** A GenerateContentRequest in the neutral scenario vocabulary. */
function scenarioInput(body: Json): ScenarioInput {
  const messages: ScenarioInput['messages'] = [];
  if (isRecord(body.systemInstruction)) messages.push({ role: 'system', text: partsText(list(body.systemInstruction.parts)) });
  for (const content of list(body.contents).filter(isRecord)) {
    const parts = list(content.parts);
    const isToolResult = parts.some((p) => isRecord(p) && isRecord(p.functionResponse));
    const role = content.role === 'model' ? 'assistant' : isToolResult ? 'tool' : 'user';
    messages.push({ role, text: partsText(parts) });
  }
  const tools = list(body.tools)
    .filter(isRecord)
    .flatMap((t) => list(t.functionDeclarations).filter(isRecord))
    .map((d) => ({ name: String(d.name), ...(isRecord(d.parameters) ? { parameters: lowerCaseTypes(d.parameters) as Json } : {}) }));
  const config = isRecord(body.generationConfig) ? body.generationConfig : {};
  const schema = isRecord(config.responseSchema) ? config.responseSchema : isRecord(config.responseJsonSchema) ? config.responseJsonSchema : undefined;
  const json: ScenarioInput['json'] = config.responseMimeType === 'application/json' ? (schema ? { schema: lowerCaseTypes(schema) as Json } : 'object') : 'none';
  const toolConfig = isRecord(body.toolConfig) && isRecord(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig : {};
  const input: ScenarioInput = { messages, tools, json, toolsDisabled: toolConfig.mode === 'NONE' };
  if (typeof config.maxOutputTokens === 'number') input.maxTokens = config.maxOutputTokens;
  if (typeof config.candidateCount === 'number') input.n = config.candidateCount;
  return input;
}

function usageMetadata(prompt: number, candidates: number): Json {
  return { promptTokenCount: prompt, candidatesTokenCount: candidates, totalTokenCount: prompt + candidates };
}

type Answer = Extract<ScenarioOutcome, { kind: 'text' | 'tool-calls' }>;

function answerParts(outcome: Answer, text: string, signature: string | null): Json[] {
  if (outcome.kind === 'text') return [{ text }];
  return outcome.calls.map((c, i) => ({
    functionCall: { name: c.name, args: JSON.parse(c.arguments) as unknown },
    ...(i === 0 && signature !== null ? { thoughtSignature: signature } : {}),
  }));
}

/** Gemini 3 and later validate thought signatures on replayed function calls. */
const validatesSignatures = (model: string): boolean => {
  const major = /^gemini-(\d+)/.exec(model);
  return major !== null && Number(major[1]) >= 3;
};

/** Google's documented stand-ins for a signature a history cannot supply. */
const SKIP_SIGNATURES = new Set(['skip_thought_signature_validator', 'context_engineering_is_the_way_to_go']);

/**
 * Google's check: in the current turn (everything after the last user message that is not a
 * function response), the first function call of every model step must carry a valid signature.
 * Returns the 400 message, or null when the history passes.
 */
function signatureProblem(contents: Json[], issued: ReadonlySet<string>): string | null {
  let turnStart = 0;
  contents.forEach((content, i) => {
    const parts = list(content.parts).filter(isRecord);
    if (content.role !== 'model' && parts.some((p) => typeof p.text === 'string')) turnStart = i + 1;
  });
  for (let i = turnStart; i < contents.length; i++) {
    const content = contents[i]!;
    if (content.role !== 'model') continue;
    const first = list(content.parts).filter(isRecord).find((p) => isRecord(p.functionCall));
    if (!first) continue;
    const name = isRecord(first.functionCall) ? String(first.functionCall.name) : '';
    const signature = first.thoughtSignature;
    if (typeof signature !== 'string' || signature.length === 0)
      return `Function call \`${name}\` in the \`${i + 1}. content block\` is missing a \`thought_signature\`.`;
    if (!issued.has(signature) && !SKIP_SIGNATURES.has(signature)) return 'Corrupted thought signature.';
  }
  return null;
}

const finishOf = (outcome: Answer): string => (outcome.kind === 'text' && outcome.finish === 'length' ? 'MAX_TOKENS' : 'STOP');

/** Deterministic pseudo-embedding: same text, same vector. */
function embed(text: string, dimensions: number): number[] {
  let seed = 2166136261;
  for (const ch of text) seed = Math.imul(seed ^ ch.codePointAt(0)!, 16777619) >>> 0;
  return Array.from({ length: dimensions }, (_, i) => {
    seed = Math.imul(seed ^ (seed >>> 15), 2246822507 + i) >>> 0;
    return Math.round(((seed / 4294967295) * 2 - 1) * 1e6) / 1e6;
  });
}

export async function startMockGemini(options: MockGeminiOptions = {}): Promise<MockServer> {
  let responses = 0;
  const defaultDimensions = options.embeddingDimensions ?? 8;
  const issuedSignatures = new Set<string>();
  /**
   * Standard base64 with `+`, `/` and padding, like Google's: opaque bytes, unique per answer, and
   * as long as real ones tend to be (hundreds of characters).
   */
  const issueSignature = (): string => {
    const seed = `mock-thought-signature:${issuedSignatures.size}`;
    const bytes = Buffer.concat([Buffer.from([0xfb, 0xef, 0xbe]), createHash('sha512').update(seed).digest(), createHash('sha512').update(`${seed}:2`).digest(), Buffer.from([0x01])]);
    const signature = bytes.toString('base64');
    issuedSignatures.add(signature);
    return signature;
  };

  const generate = async (res: ServerResponse, model: string, body: Json, stream: boolean): Promise<void> => {
    const thinking = validatesSignatures(model);
    if (thinking) {
      const problem = signatureProblem(list(body.contents).filter(isRecord), issuedSignatures);
      if (problem) return sendError(res, 400, problem);
    }
    const input = scenarioInput(body);
    const outcome = decideScenario(input);
    if (outcome.kind === 'error') return sendError(res, outcome.status, outcome.message, outcome.retryAfterSeconds);
    if (outcome.kind === 'html-error') {
      res.writeHead(outcome.status, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    if (outcome.kind === 'garbage') {
      res.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
      res.end(stream ? 'data: {"candidates": [oops\r\n\r\n' : '{"candidates": [oops');
      return;
    }
    responses += 1;
    const envelope = { modelVersion: model, responseId: `mock-gemini-${responses}` };
    const signature = thinking && outcome.kind === 'tool-calls' ? issueSignature() : null;
    const candidateCount = Math.max(1, input.n ?? 1);
    const { inputTokens, outputTokens } = outcome.usage;

    if (!stream) {
      await sleep(outcome.delayMs);
      const text = outcome.kind === 'text' ? outcome.text : '';
      const candidates = Array.from({ length: candidateCount }, (_, index) => ({
        content: { parts: answerParts(outcome, text, signature), role: 'model' },
        finishReason: finishOf(outcome),
        index,
      }));
      return sendJson(res, 200, { candidates, usageMetadata: usageMetadata(inputTokens, outputTokens * candidateCount), ...envelope });
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunks = outcome.kind === 'text' ? outcome.chunks : [''];
    // mock:stream-error: two chunks (fewer if the answer is shorter), then Google's in-band error.
    const failAt = outcome.kind === 'text' && outcome.streamError ? Math.min(2, chunks.length) : -1;
    let produced = '';
    for (const [i, piece] of chunks.entries()) {
      if (i === failAt) break;
      if (i > 0) await sleep(outcome.delayMs);
      produced += piece;
      const last = i === chunks.length - 1;
      const candidates = Array.from({ length: candidateCount }, (_, index) => ({
        content: { parts: answerParts(outcome, piece, signature), role: 'model' },
        ...(last ? { finishReason: finishOf(outcome) } : {}),
        index,
      }));
      // Like Google: every chunk is a whole response with usageMetadata holding running totals.
      const soFar = last ? outputTokens : mockTokenCount(produced);
      await writeSse(res, JSON.stringify({ candidates, usageMetadata: usageMetadata(inputTokens, soFar * candidateCount), ...envelope }));
    }
    if (failAt >= 0) await writeSse(res, JSON.stringify(googleError(500, 'Mock in-stream error')));
    res.end();
  };

  const embedOne = (request: Json): Json | undefined => {
    if (!isRecord(request.content)) return undefined;
    const text = partsText(list(request.content.parts));
    const dims = typeof request.outputDimensionality === 'number' ? request.outputDimensionality : defaultDimensions;
    return { values: embed(text, dims) };
  };

  const handle = async (req: RecordedRequest, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url, 'http://mock');
    const route = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|embedContent|batchEmbedContents)$/.exec(url.pathname);
    if (req.method !== 'POST' || !route) return sendError(res, 404, `Method not found: ${req.method} ${url.pathname}`);
    const key = req.headers['x-goog-api-key'];
    if (typeof key !== 'string' || key.length === 0)
      return sendError(res, 401, 'Request is missing required authentication credential. Expected an API key in the x-goog-api-key header.');
    if (options.apiKey !== undefined && key !== options.apiKey) {
      return sendJson(
        res,
        400,
        googleError(400, 'API key not valid. Please pass a valid API key.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
        ]),
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return sendError(res, 400, 'Invalid JSON payload received.');
    }
    if (!isRecord(body)) return sendError(res, 400, 'Invalid JSON payload received. Expected an object.');
    const [, model, method] = route as unknown as [string, string, string];

    if (method === 'generateContent' || method === 'streamGenerateContent') {
      if (list(body.contents).length === 0) return sendError(res, 400, '* GenerateContentRequest.contents: contents is not specified');
      const stream = method === 'streamGenerateContent';
      if (stream && url.searchParams.get('alt') !== 'sse')
        return sendError(res, 400, 'This mock only streams with alt=sse (Google would send a JSON array).');
      return generate(res, model, body, stream);
    }

    const requests = method === 'embedContent' ? [body] : list(body.requests).filter(isRecord);
    const command = requests.map((r) => (isRecord(r.content) ? partsText(list(r.content.parts)) : '')).join('\n');
    const errorMatch = /mock:error:(\d{3})/.exec(command);
    if (errorMatch) {
      const status = Number(errorMatch[1]);
      return sendError(res, status, `Mock upstream error ${status}`, status === 429 ? 2 : undefined);
    }
    const embeddings = requests.map(embedOne);
    if (requests.length === 0 || embeddings.some((e) => e === undefined))
      return sendError(res, 400, '* EmbedContentRequest.content: content is not specified');
    return sendJson(res, 200, method === 'embedContent' ? { embedding: embeddings[0] } : { embeddings });
  };

  return startMockServer(handle, options.port);
}
