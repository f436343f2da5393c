import OpenAI from 'openai';
import type { GatewayPlugin, RequestLogRecord } from '@portcullis/core';
import { mockTokenCount } from '@portcullis/core/testkit';
import { createPlugin } from '../index';
import { startWorld, type World } from './world';

/**
 * Streams are charged what they really cost. The gateway asks the provider for its usage chunk
 * even when the client did not (and keeps it out of that client's stream); a client that hangs
 * up mid-stream is charged an estimate of what was produced until then, and the provider
 * request is cut at once instead of running (and billing) to the end.
 */
jest.setTimeout(30_000);

const PROJECT_ID = '7f3a9b24-1d5e-4c8f-a6b7-3e2c4d5f6a81';
const TOKEN = 'pc_live_StreamingUsageToken0123456789abc';
const PRICE = { inputPerMTok: 3, outputPerMTok: 12 };
const costOf = (input: number, output: number): number => (input * PRICE.inputPerMTok + output * PRICE.outputPerMTok) / 1e6;

let world: World;
let client: OpenAI;
beforeAll(async () => {
  world = await startWorld({
    projects: [{ id: PROJECT_ID, token: TOKEN, policies: ['{ kind: budget, config: { capUsd: 5, window: monthly } }'] }],
    plugins: [{ plugin: createPlugin() as GatewayPlugin<never> }],
    extraYaml: `prices: { "openai:gpt-4o-mini": { inputPerMTok: ${PRICE.inputPerMTok}, outputPerMTok: ${PRICE.outputPerMTok} } }`,
  });
  client = new OpenAI({ baseURL: world.baseURL(PROJECT_ID), apiKey: TOKEN, maxRetries: 0 });
});
afterAll(() => world?.close());

/** The provider's own usage chunk, read from the raw SSE the tap recorded. */
function upstreamUsage(sse: string): { prompt_tokens: number; completion_tokens: number } {
  const chunks = sse
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map((line) => JSON.parse(line.slice(6)) as { usage?: { prompt_tokens: number; completion_tokens: number } | null });
  const withUsage = chunks.filter((c) => c.usage);
  expect(withUsage).toHaveLength(1);
  return withUsage[0]!.usage!;
}

const logOf = async (requestId: string): Promise<RequestLogRecord> => {
  const record = await world.gateway.store.requestLogs.get(requestId);
  if (record === null) throw new Error(`no request log for ${requestId}`);
  return record;
};

it('charges streams their real usage, including a client that hangs up mid-stream', async () => {
  // 1. A complete stream; the client did not ask for usage.
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'openai:gpt-4o-mini', messages: [{ role: 'user', content: 'Tell me a short story about a fox. mock:chunks:6' }], stream: true })
    .withResponse();
  const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const completeId = response.headers.get('x-request-id')!;
  expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Echo: Tell me a short story about a fox. mock:chunks:6');
  expect(chunks.filter((c) => c.usage != null)).toEqual([]);
  expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
  const completeExchange = world.tap.exchanges[0]!;
  expect(JSON.parse(completeExchange.requestBody)).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  const usage = upstreamUsage(completeExchange.responseBody);

  // 2. A slow stream of 20 chunks (50 ms apart) that the client abandons after three.
  const fullPrompt = 'Write a long essay on tides, please. mock:slow:50 mock:chunks:20';
  const abort = new AbortController();
  const res = await fetch(`${world.baseURL(PROJECT_ID)}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai:gpt-4o-mini', stream: true, messages: [{ role: 'user', content: fullPrompt }] }),
    signal: abort.signal,
  });
  expect(res.status).toBe(200);
  const abortedId = res.headers.get('x-request-id')!;
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let received = '';
  while ((received.match(/"content":"[^"]+"/g) ?? []).length < 3) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended before the client hung up');
    received += decoder.decode(value, { stream: true });
  }
  abort.abort();
  const abortedAt = performance.now();
  await reader.cancel().catch(() => undefined);

  // The provider request is cut at once, long before its remaining ~17 chunks (~850 ms).
  const abortedExchange = world.tap.exchanges[1]!;
  const deadline = Date.now() + 5000;
  while (abortedExchange.closedEarlyAt === null && abortedExchange.finishedAt === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(abortedExchange.finishedAt).toBeNull();
  expect(abortedExchange.closedEarlyAt).not.toBeNull();
  // Closed early, not finished: the cut came before the remaining chunks. The bound leaves room
  // for a loaded machine while staying under the ~850 ms the rest of the stream would take.
  expect(abortedExchange.closedEarlyAt! - abortedAt).toBeLessThan(700);

  // Flush the request logs, then read what each request was charged.
  await world.gateway.gateway.close();
  const complete = await logOf(completeId);
  expect(complete.stream).toBe(true);
  expect(complete.inputTokens).toBe(usage.prompt_tokens);
  expect(complete.outputTokens).toBe(usage.completion_tokens);
  expect(complete.costUsd).toBeCloseTo(costOf(usage.prompt_tokens, usage.completion_tokens), 12);
  expect(complete.metadata?.['usageEstimated']).toBeUndefined();
  // The budget policy that priced it is named, with its version.
  expect(Object.entries(complete.versions ?? {}).filter(([k]) => k.startsWith('budget:'))).toEqual([[expect.any(String), 1]]);

  const aborted = await logOf(abortedId);
  expect(aborted.status).toBe(499);
  expect(aborted.metadata?.['usageEstimated']).toBe('true');
  // What the whole answer would have cost had the client stayed.
  const fullOutputTokens = mockTokenCount(`Echo: ${fullPrompt}`);
  expect(aborted.inputTokens).toBeGreaterThan(0);
  expect(aborted.outputTokens).toBeGreaterThan(0);
  expect(aborted.outputTokens).toBeLessThan(fullOutputTokens);
  expect(aborted.costUsd).toBeGreaterThan(costOf(aborted.inputTokens!, 0));
  expect(aborted.costUsd).toBeLessThan(costOf(aborted.inputTokens!, fullOutputTokens));
});
