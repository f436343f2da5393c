import type { ServerResponse } from 'node:http';
import { decideScenario, sleep, startMockServer, writeSse, type MockServer, type ScenarioInput } from '@portcullis/core/testkit';
import { isRecord, numberField, stringField } from './narrow';

/**
 * A loopback stand-in for Acme's API (POST /v2/generate), steered by the testkit's neutral
 * magic words (`mock:error:429`, `mock:chunks:3`, `mock:length`, ...), so tests can drive
 * the adapter through a real gateway. Only `x-acme-key: <apiKey>` is accepted.
 */
export interface MockAcmeOptions {
  apiKey: string;
  port?: number;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const KIND_BY_STATUS: Record<number, string> = { 400: 'invalid_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 429: 'rate_limited', 503: 'overloaded' };
const acmeError = (status: number, message: string) => ({ error: { kind: KIND_BY_STATUS[status] ?? 'internal', message } });

/** An Acme request in the testkit's neutral scenario vocabulary. */
function scenarioInput(body: Record<string, unknown>): ScenarioInput {
  const messages: ScenarioInput['messages'] = [];
  const system = stringField(body, 'system');
  if (system !== undefined) messages.push({ role: 'system', text: system });
  for (const turn of Array.isArray(body['turns']) ? body['turns'] : []) {
    if (isRecord(turn)) messages.push({ role: turn['speaker'] === 'bot' ? 'assistant' : 'user', text: stringField(turn, 'text') ?? '' });
  }
  const input: ScenarioInput = { messages, tools: [], json: 'none' };
  const maxOutput = numberField(body, 'max_output');
  if (maxOutput !== undefined) input.maxTokens = maxOutput;
  return input;
}

export function startMockAcme(options: MockAcmeOptions): Promise<MockServer> {
  let generated = 0;
  return startMockServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v2/generate') return sendJson(res, 404, acmeError(404, `no route ${req.method} ${req.url}`));
    if (req.headers['x-acme-key'] !== options.apiKey) return sendJson(res, 401, acmeError(401, 'missing or invalid x-acme-key'));
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return sendJson(res, 400, acmeError(400, 'body is not JSON'));
    }
    if (!isRecord(body) || typeof body['model'] !== 'string') return sendJson(res, 400, acmeError(400, 'model is required'));

    const outcome = decideScenario(scenarioInput(body));
    if (outcome.kind === 'error')
      return sendJson(res, outcome.status, acmeError(outcome.status, outcome.message), outcome.retryAfterSeconds ? { 'retry-after': String(outcome.retryAfterSeconds) } : {});
    if (outcome.kind === 'html-error') {
      res.writeHead(outcome.status, { 'content-type': 'text/html' });
      res.end('<html><body>Bad Gateway</body></html>');
      return;
    }
    if (outcome.kind === 'garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"output": [oops');
      return;
    }
    if (outcome.kind === 'tool-calls') throw new Error('Acme has no tools: the adapter must refuse them before they reach the mock');

    generated += 1;
    const id = `gen_mock_${generated}`;
    const stop = outcome.finish === 'length' ? 'limit' : 'end';
    const tokens = { prompt: outcome.usage.inputTokens, output: outcome.usage.outputTokens };
    if (body['stream'] !== true) {
      await sleep(outcome.delayMs);
      return sendJson(res, 200, { id, model: body['model'], created_at: new Date().toISOString(), output: { text: outcome.text, stop }, tokens });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    await writeSse(res, JSON.stringify({ id, model: body['model'] }), 'start');
    for (const [i, chunk] of outcome.chunks.entries()) {
      await sleep(outcome.delayMs);
      await writeSse(res, JSON.stringify({ text: chunk }), 'delta');
      if (outcome.streamError && i === 1) {
        await writeSse(res, JSON.stringify(acmeError(503, 'overloaded mid-stream')), 'error');
        res.end();
        return;
      }
    }
    await writeSse(res, JSON.stringify({ stop, tokens }), 'end');
    res.end();
  }, options.port);
}
