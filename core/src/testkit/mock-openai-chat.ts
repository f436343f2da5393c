import type { ServerResponse } from 'node:http';
import { sleep, writeSse } from './mock-http';
import { decideScenario, type ScenarioInput, type ScenarioOutcome, type ScenarioTool } from './mock-scenarios';

/**
 * Chat-completions rendering for the OpenAI mock: turns a request into a neutral scenario and
 * renders the outcome exactly as OpenAI does, as one `chat.completion` JSON body or as the
 * `chat.completion.chunk` SSE sequence (role chunk, deltas, finish chunk, optional usage chunk
 * with `choices: []`, then `data: [DONE]`).
 */
type UnknownRecord = { [key: string]: unknown };
export const isRecord = (v: unknown): v is UnknownRecord => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MOCK_SYSTEM_FINGERPRINT = 'fp_mock0000001';

/** Plain text of a message's content (string or parts); images and audio are skipped. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter((p): p is UnknownRecord => isRecord(p) && p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text as string)
    .join('');
}

const SCENARIO_ROLES = new Set(['system', 'user', 'assistant', 'tool']);

export function scenarioInputFor(body: UnknownRecord): ScenarioInput {
  const messages = (Array.isArray(body.messages) ? body.messages : []).filter(isRecord).map((m) => {
    const role = m.role === 'developer' ? 'system' : String(m.role);
    return { role: (SCENARIO_ROLES.has(role) ? role : 'user') as ScenarioInput['messages'][number]['role'], text: contentText(m.content) };
  });
  const tools: ScenarioTool[] = (Array.isArray(body.tools) ? body.tools : [])
    .filter(isRecord)
    .map((t) => (isRecord(t.function) ? t.function : {}))
    .filter((f) => typeof f.name === 'string')
    .map((f) => ({ name: f.name as string, ...(isRecord(f.parameters) ? { parameters: f.parameters } : {}) }));
  const format = isRecord(body.response_format) ? body.response_format : {};
  let json: ScenarioInput['json'] = 'none';
  if (format.type === 'json_object') json = 'object';
  if (format.type === 'json_schema') {
    const spec = isRecord(format.json_schema) ? format.json_schema : {};
    json = { schema: isRecord(spec.schema) ? spec.schema : { type: 'object', properties: {} } };
  }
  const maxTokens = typeof body.max_completion_tokens === 'number' ? body.max_completion_tokens : typeof body.max_tokens === 'number' ? body.max_tokens : null;
  return {
    messages,
    tools,
    toolsDisabled: body.tool_choice === 'none',
    json,
    maxTokens,
    n: typeof body.n === 'number' ? body.n : 1,
  };
}

export interface ChatContext {
  id: string;
  created: number;
  model: string;
  choices: number;
  includeUsage: boolean;
  logprobs: boolean;
  topLogprobs: number;
}

const tokenLogprob = (token: string, rank: number, top: number) => {
  const bytes = Array.from(Buffer.from(token, 'utf8'));
  const logprob = -0.01 * (rank + 1);
  return {
    token,
    logprob,
    bytes,
    top_logprobs: Array.from({ length: top }, (_, i) => ({ token: i === 0 ? token : `${token}~${i}`, logprob: logprob - i, bytes: i === 0 ? bytes : Array.from(Buffer.from(`${token}~${i}`)) })),
  };
};

const usageBody = (usage: { inputTokens: number; outputTokens: number }, choices: number) => {
  const completion = usage.outputTokens * choices;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: completion,
    total_tokens: usage.inputTokens + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
};

type Answer = Extract<ScenarioOutcome, { kind: 'text' } | { kind: 'tool-calls' }>;

export function chatCompletionBody(ctx: ChatContext, outcome: Answer): UnknownRecord {
  const choices = Array.from({ length: ctx.choices }, (_, index) => {
    if (outcome.kind === 'tool-calls') {
      return {
        index,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: outcome.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
          annotations: [],
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      };
    }
    return {
      index,
      message: { role: 'assistant', content: outcome.text, refusal: null, annotations: [] },
      logprobs: ctx.logprobs ? { content: outcome.chunks.map((t, i) => tokenLogprob(t, i, ctx.topLogprobs)), refusal: null } : null,
      finish_reason: outcome.finish,
    };
  });
  return {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices,
    usage: usageBody(outcome.usage, ctx.choices),
    service_tier: 'default',
    system_fingerprint: MOCK_SYSTEM_FINGERPRINT,
  };
}

/** Splits tool-call arguments into a few fragments, as OpenAI streams them. */
const argumentFragments = (args: string): string[] => {
  const size = Math.max(1, Math.ceil(args.length / 3));
  const out: string[] = [];
  for (let i = 0; i < args.length; i += size) out.push(args.slice(i, i + size));
  return out;
};

export async function streamChatCompletion(res: ServerResponse, ctx: ChatContext, outcome: Answer): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': ctx.id.replace('chatcmpl', 'req') });
  const closed = (): boolean => res.destroyed || res.writableEnded;
  const send = async (choices: unknown[], extra: UnknownRecord = {}): Promise<void> => {
    if (closed()) return;
    const chunk: UnknownRecord = {
      id: ctx.id,
      object: 'chat.completion.chunk',
      created: ctx.created,
      model: ctx.model,
      service_tier: 'default',
      system_fingerprint: MOCK_SYSTEM_FINGERPRINT,
      choices,
      ...(ctx.includeUsage ? { usage: null } : {}),
      ...extra,
    };
    await writeSse(res, JSON.stringify(chunk));
  };
  const pause = async (): Promise<void> => {
    if (outcome.delayMs > 0) await sleep(outcome.delayMs);
  };
  const indices = Array.from({ length: ctx.choices }, (_, i) => i);
  let sentChunks = 0;

  for (const index of indices) {
    const delta = outcome.kind === 'tool-calls' ? { role: 'assistant', content: null, refusal: null } : { role: 'assistant', content: '', refusal: null };
    await send([{ index, delta, logprobs: null, finish_reason: null }]);
  }

  if (outcome.kind === 'text') {
    for (const [position, text] of outcome.chunks.entries()) {
      for (const index of indices) {
        await pause();
        const logprobs = ctx.logprobs ? { content: [tokenLogprob(text, position, ctx.topLogprobs)], refusal: null } : null;
        await send([{ index, delta: { content: text }, logprobs, finish_reason: null }]);
        sentChunks += 1;
        if (outcome.streamError && sentChunks === 2) {
          // OpenAI's in-band failure: an error object as a data event, then the connection ends.
          await writeSse(res, JSON.stringify({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } }));
          res.end();
          return;
        }
      }
    }
  } else {
    for (const index of indices) {
      for (const [callIndex, call] of outcome.calls.entries()) {
        await pause();
        await send([{ index, delta: { tool_calls: [{ index: callIndex, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, logprobs: null, finish_reason: null }]);
        for (const fragment of argumentFragments(call.arguments)) {
          await send([{ index, delta: { tool_calls: [{ index: callIndex, function: { arguments: fragment } }] }, logprobs: null, finish_reason: null }]);
        }
      }
    }
  }

  const finish = outcome.kind === 'tool-calls' ? 'tool_calls' : outcome.finish;
  for (const index of indices) await send([{ index, delta: {}, logprobs: null, finish_reason: finish }]);
  if (ctx.includeUsage) await send([], { usage: usageBody(outcome.usage, ctx.choices) });
  if (!closed()) {
    await writeSse(res, '[DONE]');
    res.end();
  }
}

export const decideChat = (body: UnknownRecord): ScenarioOutcome => decideScenario(scenarioInputFor(body));
