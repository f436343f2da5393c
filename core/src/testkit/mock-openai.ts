import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startMockServer, sleep, type MockServer, type RecordedRequest } from './mock-http';
import { mockTokenCount } from './mock-scenarios';
import { chatCompletionBody, decideChat, isRecord, streamChatCompletion, type ChatContext } from './mock-openai-chat';

/**
 * A loopback stand-in for OpenAI's REST API: `POST /v1/chat/completions` (JSON and SSE, n > 1,
 * logprobs, tools, JSON mode), `POST /v1/embeddings` (deterministic vectors, float or base64),
 * `GET /v1/models[/id]`, and the same chat/embeddings routes in Azure's shape
 * (`/openai/deployments/<dep>/...?api-version=...` with an `api-key` header, or an Entra ID bearer
 * token when `azureBearer` vouches for it). Errors use
 * OpenAI's envelope and statuses. Behaviour is steered by the neutral magic words in
 * `mock-scenarios.ts` (also honoured in embeddings input), so it is interchangeable with the
 * other providers' mocks.
 */
export interface MockOpenAIOptions {
  port?: number;
  /** When set, the key must equal it (else 401). When absent, any non-empty key is accepted. */
  apiKey?: string;
  /**
   * Azure routes: also accept Microsoft Entra ID auth, `Authorization: Bearer <token>`, when this
   * says the token is good (pass `entra.isValidToken` of a mock Entra server). Absent: Azure
   * routes take `api-key` only and refuse bearer tokens.
   */
  azureBearer?: (token: string) => boolean;
}

export interface MockOpenAIServer extends MockServer {
  /** `<url>/v1`: what the OpenAI SDK's `baseURL` and the adapter's `baseUrl` want. */
  readonly baseURL: string;
}

export const MOCK_OPENAI_MODELS: readonly string[] = ['gpt-4o-mini', 'gpt-4o', 'o3-mini', 'text-embedding-3-small', 'text-embedding-3-large'];
const MODEL_CREATED = 1_700_000_000;
const DEFAULT_EMBEDDING_DIMENSIONS = 8;

/** OpenAI's error `type` and `code` for each status the mock produces. */
function envelopeFor(status: number, message: string): { error: { message: string; type: string; param: string | null; code: string | null } } {
  const byStatus: Record<number, [string, string | null]> = {
    400: ['invalid_request_error', null],
    401: ['invalid_request_error', 'invalid_api_key'],
    403: ['invalid_request_error', 'unsupported_country_region_territory'],
    404: ['invalid_request_error', 'model_not_found'],
    408: ['timeout', null],
    409: ['invalid_request_error', 'conflict'],
    422: ['invalid_request_error', null],
    429: ['requests', 'rate_limit_exceeded'],
  };
  const [type, code] = byStatus[status] ?? (status >= 500 ? ['server_error', null] : ['invalid_request_error', null]);
  return { error: { message, type, param: null, code } };
}

function sendJson(res: ServerResponse, status: number, body: unknown, requestId: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId, ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, requestId: string, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, envelopeFor(status, message), requestId, headers);
}

/** Renders the non-answer scenario outcomes (errors, HTML, garbage). Returns true when it did. */
function sendFailureOutcome(res: ServerResponse, requestId: string, outcome: { kind: string; status?: number; message?: string; retryAfterSeconds?: number }): boolean {
  if (outcome.kind === 'error') {
    const retry = outcome.retryAfterSeconds;
    const headers: Record<string, string> = retry === undefined ? {} : { 'retry-after': String(retry), 'retry-after-ms': String(retry * 1000) };
    sendError(res, requestId, outcome.status ?? 500, outcome.message ?? 'Mock upstream error', headers);
    return true;
  }
  if (outcome.kind === 'html-error') {
    res.writeHead(outcome.status ?? 502, { 'content-type': 'text/html' });
    res.end('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n');
    return true;
  }
  if (outcome.kind === 'garbage') {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': requestId });
    res.end('{"id": "chatcmpl-garbage", "choices": [ this is not json');
    return true;
  }
  return false;
}

/** Deterministic unit-ish vector for one input, from a SHA-256 stream keyed by the input. */
export function mockOpenAIEmbedding(input: unknown, dimensions: number): number[] {
  const seed = JSON.stringify(input);
  const out: number[] = [];
  for (let block = 0; out.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}:${seed}`).digest();
    for (let i = 0; i + 2 <= digest.length && out.length < dimensions; i += 2) {
      // float32-exact values, so the base64 form decodes to exactly the float form.
      out.push(Math.fround(digest.readUInt16BE(i) / 32767.5 - 1));
    }
  }
  return out;
}

const embeddingInputs = (input: unknown): unknown[] | undefined => {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((v) => typeof v === 'number')) return [input];
  if (input.every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((n) => typeof n === 'number')))) return input;
  return undefined;
};

function handleEmbeddings(res: ServerResponse, requestId: string, body: { [key: string]: unknown }, model: string | undefined): void {
  const inputs = embeddingInputs(body.input);
  if (!inputs) return sendError(res, requestId, 400, "'input' must be a non-empty string, array of strings, or array of token arrays.");
  if (!model) return sendError(res, requestId, 400, 'you must provide a model parameter');
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') return sendError(res, requestId, 400, "'encoding_format' must be 'float' or 'base64'.");
  const dimensions = body.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > 4096) {
    return sendError(res, requestId, 400, "'dimensions' must be an integer between 1 and 4096.");
  }
  const errorWord = inputs.map((v) => (typeof v === 'string' ? /mock:error:(\d{3})/.exec(v) : null)).find((m) => m);
  if (errorWord) {
    const status = Number(errorWord[1]);
    const headers: Record<string, string> = status === 429 ? { 'retry-after': '2', 'retry-after-ms': '2000' } : {};
    return sendError(res, requestId, status, `Mock upstream error ${status}`, headers);
  }
  let promptTokens = 0;
  const data = inputs.map((item, index) => {
    promptTokens += typeof item === 'string' ? mockTokenCount(item) : (item as number[]).length;
    const vector = mockOpenAIEmbedding(item, dimensions);
    const embedding = format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  sendJson(res, 200, { object: 'list', data, model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }, requestId);
}

async function handleChat(res: ServerResponse, requestId: string, body: { [key: string]: unknown }, model: string | undefined, ids: () => string): Promise<void> {
  if (!model) return sendError(res, requestId, 400, 'you must provide a model parameter');
  if (!Array.isArray(body.messages) || body.messages.length === 0) return sendError(res, requestId, 400, "Invalid value for 'messages': expected a non-empty array.");
  const n = body.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 128) return sendError(res, requestId, 400, "Invalid value for 'n': expected an integer between 1 and 128.");
  const stream = body.stream === true;
  if (!stream && body.stream_options != null) return sendError(res, requestId, 400, 'The stream_options parameter is only allowed when stream is enabled.');
  const outcome = decideChat(body);
  if (sendFailureOutcome(res, requestId, outcome)) return;
  if (outcome.kind !== 'text' && outcome.kind !== 'tool-calls') return;
  const streamOptions = isRecord(body.stream_options) ? body.stream_options : {};
  const ctx: ChatContext = {
    id: ids(),
    created: Math.floor(Date.now() / 1000),
    model,
    choices: n,
    includeUsage: streamOptions.include_usage === true,
    logprobs: body.logprobs === true,
    topLogprobs: typeof body.top_logprobs === 'number' ? body.top_logprobs : 0,
  };
  if (stream) return streamChatCompletion(res, ctx, outcome);
  if (outcome.delayMs > 0) await sleep(outcome.delayMs);
  sendJson(res, 200, chatCompletionBody(ctx, outcome), requestId);
}

interface RouteMatch {
  operation: 'chat' | 'embeddings' | 'models' | 'model';
  /** Azure deployment (stands in for the model) or the model id in `/v1/models/<id>`. */
  name?: string;
  azure: boolean;
}

function matchRoute(method: string, path: string): RouteMatch | undefined {
  if (method === 'POST' && path === '/v1/chat/completions') return { operation: 'chat', azure: false };
  if (method === 'POST' && path === '/v1/embeddings') return { operation: 'embeddings', azure: false };
  if (method === 'GET' && path === '/v1/models') return { operation: 'models', azure: false };
  const model = /^\/v1\/models\/([^/]+)$/.exec(path);
  if (method === 'GET' && model) return { operation: 'model', name: decodeURIComponent(model[1]!), azure: false };
  const azure = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(path);
  if (method === 'POST' && azure) return { operation: azure[2] === 'embeddings' ? 'embeddings' : 'chat', name: decodeURIComponent(azure[1]!), azure: true };
  return undefined;
}

const bearerToken = (req: RecordedRequest): string | undefined => {
  const auth = req.headers.authorization;
  const match = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return match?.[1];
};

/** OpenAI: `Authorization: Bearer <key>`; Azure: `api-key: <key>`. */
function presentedKey(req: RecordedRequest, azure: boolean): string | undefined {
  if (azure) {
    const key = req.headers['api-key'];
    return typeof key === 'string' && key.length > 0 ? key : undefined;
  }
  return bearerToken(req);
}

/** Azure's answer to a bad Entra token: its own `{error:{code,message}}` shape, not OpenAI's envelope. */
function sendAzureTokenRefused(res: ServerResponse, requestId: string): void {
  sendJson(res, 401, { error: { code: '401', message: 'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.' } }, requestId);
}

export async function startMockOpenAI(options: MockOpenAIOptions = {}): Promise<MockOpenAIServer> {
  let counter = 0;
  const nextId = (prefix: string): string => `${prefix}-mock${String(++counter).padStart(6, '0')}`;

  const server = await startMockServer(async (req, res) => {
    const requestId = nextId('req');
    const url = new URL(req.url, 'http://mock.invalid');
    const route = matchRoute(req.method, url.pathname);
    if (!route) return sendError(res, requestId, 404, `Invalid URL (${req.method} ${url.pathname})`);

    const key = presentedKey(req, route.azure);
    const token = route.azure && key === undefined ? bearerToken(req) : undefined;
    if (token !== undefined && !options.azureBearer?.(token)) return sendAzureTokenRefused(res, requestId);
    if (key === undefined && token === undefined) {
      return sendError(res, requestId, 401, route.azure
        ? 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.'
        : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
    }
    if (key !== undefined && options.apiKey !== undefined && key !== options.apiKey) {
      // Like OpenAI: the key is echoed, masked (the gateway must still redact it).
      return sendError(res, requestId, 401, `Incorrect API key provided: ${key.slice(0, 6)}${'*'.repeat(Math.max(0, key.length - 10))}${key.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`);
    }
    if (route.azure && !url.searchParams.get('api-version')) {
      return sendError(res, requestId, 404, 'Resource not found');
    }

    if (route.operation === 'models') {
      return sendJson(res, 200, { object: 'list', data: MOCK_OPENAI_MODELS.map((id) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'system' })) }, requestId);
    }
    if (route.operation === 'model') {
      if (!route.name || !MOCK_OPENAI_MODELS.includes(route.name)) return sendError(res, requestId, 404, `The model '${route.name ?? ''}' does not exist`);
      return sendJson(res, 200, { id: route.name, object: 'model', created: MODEL_CREATED, owned_by: 'system' }, requestId);
    }

    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return sendError(res, requestId, 400, 'We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)');
    }
    if (!isRecord(body)) return sendError(res, requestId, 400, 'The request body must be a JSON object.');
    // Azure names the deployment in the path; OpenAI needs `model` in the body.
    const model = route.azure ? route.name : typeof body.model === 'string' && body.model.length > 0 ? body.model : undefined;
    if (route.operation === 'embeddings') return handleEmbeddings(res, requestId, body, model);
    return handleChat(res, requestId, body, model, () => nextId('chatcmpl'));
  }, options.port ?? 0);

  return Object.assign(server, { baseURL: `${server.url}/v1` });
}
