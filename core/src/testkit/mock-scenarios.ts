/**
 * What every mock upstream answers, independent of wire protocol. Each provider mock turns
 * its own request format into a ScenarioInput, asks `decideScenario`, and renders the outcome
 * in its own wire format (JSON or stream). Tests steer the mocks with magic words in the last
 * user message, so one end-to-end test can run against every provider:
 *
 *   mock:error:<status>     the provider's own error body for that status (429 adds retry-after: 2)
 *   mock:html-error         a 502 with an HTML body (a proxy in front of the provider failed)
 *   mock:garbage            a 200 whose body is not JSON
 *   mock:length             the answer is cut: finish reason "length"
 *   mock:slow:<ms>          wait <ms> between stream chunks (and before a JSON answer)
 *   mock:chunks:<n>         stream the answer as n chunks
 *   mock:parallel           with tools: call the first tool twice in parallel
 *   mock:stream-error       a stream that sends two chunks, then the provider's in-band error
 *   (tools present, last message from the user)  call the first tool
 *   (last message is a tool result)              "Tool result received: <content>"
 *   (JSON mode / schema requested)               a JSON object (schema-shaped when a schema is given)
 *   (otherwise)                                  "Echo: <last user text>"
 */
export interface ScenarioTool {
  name: string;
  parameters?: { [key: string]: unknown };
}

export interface ScenarioInput {
  /** Plain text of every message in order (images etc. are skipped). */
  messages: { role: 'system' | 'user' | 'assistant' | 'tool'; text: string }[];
  tools: ScenarioTool[];
  /** The caller forced "no tools" (tool_choice none). */
  toolsDisabled?: boolean;
  json: 'none' | 'object' | { schema: { [key: string]: unknown } };
  maxTokens?: number | null;
  /** Number of choices requested (OpenAI n). */
  n?: number;
}

export type ScenarioOutcome =
  | { kind: 'error'; status: number; message: string; retryAfterSeconds?: number }
  | { kind: 'html-error'; status: number }
  | { kind: 'garbage' }
  | {
      kind: 'text';
      text: string;
      /** The text cut into stream chunks (joined they equal text). */
      chunks: string[];
      finish: 'stop' | 'length';
      delayMs: number;
      streamError: boolean;
      usage: { inputTokens: number; outputTokens: number };
    }
  | {
      kind: 'tool-calls';
      calls: { id: string; name: string; arguments: string }[];
      delayMs: number;
      usage: { inputTokens: number; outputTokens: number };
    };

/** Rough but deterministic token count (~4 chars per token), like the mocks' "tokenizer". */
export const mockTokenCount = (text: string): number => (text.length === 0 ? 0 : Math.ceil(text.length / 4));

function exampleForSchema(schema: unknown, key = 'value'): unknown {
  const s = (schema ?? {}) as { type?: string | string[]; properties?: Record<string, unknown>; items?: unknown; enum?: unknown[] };
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) out[k] = exampleForSchema(v, k);
      return out;
    }
    case 'array':
      return [exampleForSchema(s.items, key)];
    case 'integer':
    case 'number':
      return 42;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return key === 'city' || key === 'location' ? 'Paris' : `${key}-value`;
  }
}

/** Splits text into n roughly equal chunks on character boundaries (code points kept whole). */
export function splitIntoChunks(text: string, n: number): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [''];
  const count = Math.max(1, Math.min(n, chars.length));
  const size = Math.ceil(chars.length / count);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

export function decideScenario(input: ScenarioInput): ScenarioOutcome {
  const last = input.messages[input.messages.length - 1];
  const lastUser = [...input.messages].reverse().find((m) => m.role === 'user');
  const command = lastUser?.text ?? '';
  const inputTokens = mockTokenCount(input.messages.map((m) => m.text).join('\n'));
  const delayMatch = /mock:slow:(\d+)/.exec(command);
  const delayMs = delayMatch ? Number(delayMatch[1]) : 0;

  const errorMatch = /mock:error:(\d{3})/.exec(command);
  if (errorMatch) {
    const status = Number(errorMatch[1]);
    return {
      kind: 'error',
      status,
      message: `Mock upstream error ${status}`,
      ...(status === 429 ? { retryAfterSeconds: 2 } : {}),
    };
  }
  if (command.includes('mock:html-error')) return { kind: 'html-error', status: 502 };
  if (command.includes('mock:garbage')) return { kind: 'garbage' };

  if (last?.role !== 'tool' && input.tools.length > 0 && !input.toolsDisabled) {
    const tool = input.tools[0]!;
    const args = JSON.stringify(exampleForSchema(tool.parameters ?? { type: 'object', properties: {} }));
    const count = command.includes('mock:parallel') ? 2 : 1;
    const calls = Array.from({ length: count }, (_, i) => ({ id: `call_mock_${i + 1}`, name: tool.name, arguments: args }));
    return { kind: 'tool-calls', calls, delayMs, usage: { inputTokens, outputTokens: mockTokenCount(calls.map((c) => c.name + c.arguments).join('')) } };
  }

  let text: string;
  if (last?.role === 'tool') text = `Tool result received: ${last.text}`;
  else if (input.json === 'object') text = JSON.stringify({ answer: 'ok' });
  else if (typeof input.json === 'object') text = JSON.stringify(exampleForSchema(input.json.schema));
  else text = `Echo: ${command}`;

  let finish: 'stop' | 'length' = 'stop';
  if (command.includes('mock:length')) {
    text = Array.from(text).slice(0, Math.max(1, Math.floor(text.length / 2))).join('');
    finish = 'length';
  } else if (input.maxTokens != null && mockTokenCount(text) > input.maxTokens) {
    text = Array.from(text).slice(0, input.maxTokens * 4).join('');
    finish = 'length';
  }
  const chunkMatch = /mock:chunks:(\d+)/.exec(command);
  const chunks = splitIntoChunks(text, chunkMatch ? Number(chunkMatch[1]) : Math.min(8, Math.max(1, Math.ceil(text.length / 6))));
  return {
    kind: 'text',
    text,
    chunks,
    finish,
    delayMs,
    streamError: command.includes('mock:stream-error'),
    usage: { inputTokens, outputTokens: mockTokenCount(text) },
  };
}
