import type { ServerResponse } from 'node:http';
import { startMockServer, sleep, writeSse, type MockServer, type RecordedRequest } from './mock-http';
import { decideScenario, splitIntoChunks, type ScenarioInput, type ScenarioOutcome, type ScenarioTool } from './mock-scenarios';

/**
 * A loopback stand-in for Anthropic's Messages API (`POST /v1/messages`, version 2023-06-01):
 * JSON and SSE answers shaped exactly like Anthropic's (named events, message_start ...
 * message_stop, ping, tool_use with input_json_delta), errors in Anthropic's envelope with
 * request-id / retry-after headers. Behaviour is steered by the neutral magic words in
 * `mock-scenarios.ts`, so it is interchangeable with the other providers' mocks.
 */
export interface MockAnthropicOptions {
  /**
   * When set, the key must equal it (else 401). When absent, any non-empty key is accepted.
   * The key is read from `x-api-key` (what the API documents and the gateway sends) or from
   * `Authorization: Bearer` (what @anthropic-ai/sdk 1.x sends for an apiKey).
   */
  apiKey?: string;
  port?: number;
}

type UnknownRecord = { [key: string]: unknown };
const isRecord = (v: unknown): v is UnknownRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Anthropic's error `type` for each HTTP status (docs: API errors). */
const ERROR_TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};
const errorTypeFor = (status: number): string => ERROR_TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');

interface Ids {
  message: string;
  request: string;
}

function sendError(res: ServerResponse, ids: Ids, status: number, message: string, extraHeaders: Record<string, string> = {}): void {
  const body = { type: 'error', error: { type: errorTypeFor(status), message }, request_id: ids.request };
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': ids.request, ...extraHeaders });
  res.end(JSON.stringify(body));
}

/** Plain text of a content value (string or blocks); images and documents are skipped. */
function blockText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((b): b is UnknownRecord => isRecord(b) && b['type'] === 'text' && typeof b['text'] === 'string')
    .map((b) => b['text'] as string)
    .join('');
}

/** Anthropic request -> neutral scenario input. tool_result blocks count as "tool" messages. */
function toScenarioInput(body: UnknownRecord): ScenarioInput {
  const messages: ScenarioInput['messages'] = [];
  const system = blockText(body['system']);
  if (system) messages.push({ role: 'system', text: system });
  for (const m of body['messages'] as unknown[]) {
    if (!isRecord(m)) continue;
    const content = m['content'];
    if (m['role'] === 'assistant') {
      messages.push({ role: 'assistant', text: blockText(content) });
      continue;
    }
    if (Array.isArray(content)) {
      for (const b of content)
        if (isRecord(b) && b['type'] === 'tool_result') messages.push({ role: 'tool', text: blockText(b['content']) });
    }
    const text = blockText(content);
    const onlyToolResults = Array.isArray(content) && content.every((b) => isRecord(b) && b['type'] === 'tool_result');
    if (!onlyToolResults) messages.push({ role: 'user', text });
  }
  const tools: ScenarioTool[] = Array.isArray(body['tools'])
    ? body['tools'].filter(isRecord).map((t) => ({ name: String(t['name']), parameters: isRecord(t['input_schema']) ? t['input_schema'] : {} }))
    : [];
  const toolChoice = isRecord(body['tool_choice']) ? body['tool_choice'] : undefined;
  // Native structured outputs (output_config.format) are honoured like other providers' JSON modes.
  const outputConfig = isRecord(body['output_config']) ? body['output_config'] : undefined;
  const format = outputConfig && isRecord(outputConfig['format']) ? outputConfig['format'] : undefined;
  return {
    messages,
    tools,
    toolsDisabled: toolChoice?.['type'] === 'none',
    json: format && isRecord(format['schema']) ? { schema: format['schema'] } : 'none',
    maxTokens: typeof body['max_tokens'] === 'number' ? body['max_tokens'] : null,
  };
}

const TOOL_ID_PATTERN = /^[a-zA-Z0-9_-]+$/;

/** Checks what Anthropic itself rejects, so adapter bugs surface against the mock too. */
function validate(req: RecordedRequest, body: unknown): { status: number; message: string } | undefined {
  if (!isRecord(body)) return { status: 400, message: 'The request body is not valid JSON.' };
  if (typeof body['model'] !== 'string') return { status: 400, message: 'model: Field required' };
  if (typeof body['max_tokens'] !== 'number') return { status: 400, message: 'max_tokens: Field required' };
  if (!Array.isArray(body['messages']) || body['messages'].length === 0) return { status: 400, message: 'messages: Field required' };
  let previous: unknown;
  for (const [i, m] of body['messages'].entries()) {
    if (!isRecord(m) || (m['role'] !== 'user' && m['role'] !== 'assistant'))
      return { status: 400, message: `messages.${i}.role: Input should be 'user' or 'assistant'` };
    if (m['role'] === previous) return { status: 400, message: 'messages: roles must alternate between "user" and "assistant"' };
    previous = m['role'];
    const blocks = Array.isArray(m['content']) ? m['content'] : [];
    for (const [j, block] of blocks.entries()) {
      if (!isRecord(block)) continue;
      // Anthropic refuses tool ids outside this pattern (ids from other providers must be made to fit).
      const id = block['type'] === 'tool_use' ? block['id'] : block['type'] === 'tool_result' ? block['tool_use_id'] : undefined;
      const field = block['type'] === 'tool_use' ? 'tool_use.id' : 'tool_result.tool_use_id';
      if (id !== undefined && (typeof id !== 'string' || !TOOL_ID_PATTERN.test(id)))
        return { status: 400, message: `messages.${i}.content.${j}.${field}: String should match pattern '^[a-zA-Z0-9_-]+$'` };
    }
  }
  if (body['tool_choice'] !== undefined && !Array.isArray(body['tools']))
    return { status: 400, message: 'tool_choice: tool_choice may only be specified while providing tools.' };
  if (req.headers['anthropic-version'] === undefined) return { status: 400, message: 'anthropic-version: header is required' };
  return undefined;
}

type MessageUsage = { input_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number; output_tokens: number; service_tier: string };
const usageOf = (u: { inputTokens: number; outputTokens: number }): MessageUsage => ({
  input_tokens: u.inputTokens,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: u.outputTokens,
  service_tier: 'standard',
});

/** Anthropic tool ids look like `toolu_...`; the scenario's neutral ids are `call_mock_<n>`. */
const toolUseId = (scenarioId: string): string => scenarioId.replace(/^call_/, 'toolu_');

function apiKeyOf(req: RecordedRequest): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return bearer?.[1];
}

type AnswerOutcome = Extract<ScenarioOutcome, { kind: 'text' | 'tool-calls' }>;

function messageJson(outcome: AnswerOutcome, model: string, ids: Ids): UnknownRecord {
  const content =
    outcome.kind === 'text'
      ? [{ type: 'text', text: outcome.text }]
      : outcome.calls.map((c) => ({ type: 'tool_use', id: toolUseId(c.id), name: c.name, input: JSON.parse(c.arguments) as unknown }));
  const stopReason = outcome.kind === 'tool-calls' ? 'tool_use' : outcome.finish === 'length' ? 'max_tokens' : 'end_turn';
  return { id: ids.message, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage: usageOf(outcome.usage) };
}

async function streamAnswer(res: ServerResponse, outcome: AnswerOutcome, model: string, ids: Ids): Promise<void> {
  const gone = (): boolean => res.destroyed || res.writableEnded;
  const send = async (payload: UnknownRecord): Promise<void> => {
    if (!gone()) await writeSse(res, JSON.stringify(payload), String(payload['type']));
  };
  const pause = async (): Promise<void> => {
    if (outcome.delayMs > 0) await sleep(outcome.delayMs);
  };
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': ids.request });
  await send({
    type: 'message_start',
    message: {
      id: ids.message,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usageOf(outcome.usage), output_tokens: 1 },
    },
  });

  if (outcome.kind === 'text') {
    await send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    await send({ type: 'ping' });
    for (const [i, chunk] of outcome.chunks.entries()) {
      await pause();
      if (outcome.streamError && i === 2) {
        await send({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
        res.end();
        return;
      }
      await send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: chunk } });
    }
    if (outcome.streamError) {
      // Fewer than three chunks: the error still comes after the text, as the scenario promises.
      await send({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
      res.end();
      return;
    }
    await send({ type: 'content_block_stop', index: 0 });
  } else {
    for (const [index, call] of outcome.calls.entries()) {
      await send({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: toolUseId(call.id), name: call.name, input: {} } });
      // Anthropic opens tool input with an empty partial_json, then streams small fragments.
      for (const piece of ['', ...splitIntoChunks(call.arguments, 4)]) {
        await pause();
        await send({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } });
      }
      await send({ type: 'content_block_stop', index });
    }
  }
  const stopReason = outcome.kind === 'tool-calls' ? 'tool_use' : outcome.finish === 'length' ? 'max_tokens' : 'end_turn';
  await send({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outcome.usage.outputTokens } });
  await send({ type: 'message_stop' });
  res.end();
}

export async function startMockAnthropic(options: MockAnthropicOptions = {}): Promise<MockServer> {
  let counter = 0;
  return startMockServer(async (req, res) => {
    counter += 1;
    const ids: Ids = { message: `msg_mock_${counter}`, request: `req_mock_${counter}` };
    const path = req.url.split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/messages') return sendError(res, ids, 404, `Not found: ${req.method} ${path}`);
    const key = apiKeyOf(req);
    if (key === undefined) return sendError(res, ids, 401, 'x-api-key header is required');
    if (options.apiKey !== undefined && key !== options.apiKey) return sendError(res, ids, 401, 'invalid x-api-key');

    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      body = undefined;
    }
    const invalid = validate(req, body);
    if (invalid || !isRecord(body)) return sendError(res, ids, invalid?.status ?? 400, invalid?.message ?? 'invalid request');

    const outcome = decideScenario(toScenarioInput(body));
    switch (outcome.kind) {
      case 'error':
        return sendError(res, ids, outcome.status, outcome.message, outcome.retryAfterSeconds !== undefined ? { 'retry-after': String(outcome.retryAfterSeconds) } : {});
      case 'html-error':
        res.writeHead(outcome.status, { 'content-type': 'text/html' });
        res.end('<html><head><title>502 Bad Gateway</title></head><body><center>cloudflare</center></body></html>');
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': ids.request });
        res.end('{"type":"message", this is not json');
        return;
    }
    const model = String(body['model']);
    if (body['stream'] === true) return streamAnswer(res, outcome, model, ids);
    if (outcome.delayMs > 0) await sleep(outcome.delayMs);
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': ids.request });
    res.end(JSON.stringify(messageJson(outcome, model, ids)));
  }, options.port);
}
