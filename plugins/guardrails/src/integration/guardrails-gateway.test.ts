import OpenAI from 'openai';
import type { GatewayPlugin } from '@portcullis/core';
import { splitIntoChunks } from '@portcullis/core/testkit';
import { createPlugin, GUARDRAILS_HEADER } from '../index';
import { chatRequestsSeen, errorCodeOf, postChat, startWorld, type World } from './world';

/**
 * Guardrails through a real gateway and the official SDK: what the provider receives (the mock
 * records it), what the client gets back, streams included, and what the audit trail and the
 * request logs keep (types and counts, never values).
 */
jest.setTimeout(30_000);

const PROJECT_ID = '4c8e2a17-9b3d-4f6a-8c15-2d7e9f1a3b56';
const TOKEN = 'pc_live_GuardrailsIntegrationToken01234';
/** Output-only scanning: the provider sees the prompt as is, the client sees its echo masked. */
const OUTPUT_PROJECT_ID = '1a7c3e59-2d4b-4e8f-9a61-5b3c7d9e2f14';
const OUTPUT_TOKEN = 'pc_live_GuardrailsOutputOnlyToken01234';

const SSN = '536-22-8145';
const CARD = '4111 1111 1111 1111';
const EMAIL = 'jane.doe@example.com';
const OTHER_EMAIL = 'bob.smith@example.org';

let world: World;
let client: OpenAI;
const requestIds: string[] = [];

beforeAll(async () => {
  world = await startWorld({
    projects: [
      {
        id: PROJECT_ID,
        token: TOKEN,
        policies: ['{ kind: guardrail, config: { preset: balanced, entities: { EMAIL: redact_reversible, CREDIT_CARD: block, US_SSN: mask } } }'],
      },
      { id: OUTPUT_PROJECT_ID, token: OUTPUT_TOKEN, policies: ['{ kind: guardrail, config: { preset: balanced, scanInput: false, entities: { EMAIL: mask } } }'] },
    ],
    // No name detection in these policies: no worker threads needed.
    plugins: [{ plugin: createPlugin() as GatewayPlugin<never>, config: { names: { workers: 0 } } }],
  });
  client = new OpenAI({ baseURL: world.baseURL(PROJECT_ID), apiKey: TOKEN, maxRetries: 0 });
});
afterAll(() => world?.close());

const lastUpstreamBody = (): string => world.mock.requests[world.mock.requests.length - 1]!.body;

it('masks input before it reaches the provider, with the timing header', async () => {
  const answer = await postChat(world.baseURL(PROJECT_ID), TOKEN, { messages: [{ role: 'user', content: `My SSN is ${SSN}.` }] });
  expect(answer.status).toBe(200);
  requestIds.push(answer.headers.get('x-request-id')!);
  expect(lastUpstreamBody()).toContain('My SSN is [US_SSN].');
  expect(lastUpstreamBody()).not.toContain(SSN);
  expect(answer.body).toMatchObject({ choices: [{ message: { content: 'Echo: My SSN is [US_SSN].' } }] });
  expect(Number(answer.headers.get(GUARDRAILS_HEADER))).toBeGreaterThanOrEqual(0);
});

it('blocks with 422 guardrail_blocked, naming the type but not the value, before the provider', async () => {
  const seen = chatRequestsSeen(world.mock);
  const answer = await postChat(world.baseURL(PROJECT_ID), TOKEN, { messages: [{ role: 'user', content: `Charge card ${CARD} please` }] });
  expect(answer.status).toBe(422);
  expect(errorCodeOf(answer.body)).toBe('guardrail_blocked');
  const message = (answer.body as { error: { message: string } }).error.message;
  expect(message).toContain('CREDIT_CARD');
  expect(JSON.stringify(answer.body)).not.toContain('4111');
  expect(chatRequestsSeen(world.mock)).toBe(seen);
});

it('redacts reversibly: placeholders upstream, originals back to the SDK client (JSON)', async () => {
  const { data, response } = await client.chat.completions
    .create({ model: 'openai:gpt-4o-mini', messages: [{ role: 'user', content: `Write to ${EMAIL} today` }] })
    .withResponse();
  requestIds.push(response.headers.get('x-request-id')!);
  expect(lastUpstreamBody()).toContain('Write to [[EMAIL_1]] today');
  expect(lastUpstreamBody()).not.toContain(EMAIL);
  expect(data.choices[0]!.message.content).toBe(`Echo: Write to ${EMAIL} today`);
  expect(response.headers.get(GUARDRAILS_HEADER)).not.toBeNull();
});

it('redacts reversibly on a stream: the placeholder split across chunks is restored', async () => {
  // 5 ms between chunks: separate upstream reads, so "still streamed" means what it says (chunks
  // that arrive in one read may leave as one delta once the guard has restored a placeholder).
  const prompt = `Write to ${EMAIL} today mock:chunks:20 mock:slow:5`;
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'openai:gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] })
    .withResponse();
  const deltas: string[] = [];
  for await (const chunk of stream) deltas.push(chunk.choices[0]?.delta.content ?? '');
  expect(lastUpstreamBody()).toContain('[[EMAIL_1]]');
  expect(lastUpstreamBody()).not.toContain(EMAIL);
  expect(deltas.join('')).toBe(`Echo: ${prompt}`);
  expect(deltas.filter((d) => d !== '').length).toBeGreaterThan(3); // still streamed, not buffered whole
  expect(response.headers.get(GUARDRAILS_HEADER)).not.toBeNull();
});

it('masks output on a stream even when the entity arrives split across chunks', async () => {
  const prompt = `Reach ${OTHER_EMAIL} now mock:chunks:25`;
  const output = new OpenAI({ baseURL: world.baseURL(OUTPUT_PROJECT_ID), apiKey: OUTPUT_TOKEN, maxRetries: 0 });
  const stream = await output.chat.completions.create({ model: 'openai:gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] });
  const deltas: string[] = [];
  for await (const chunk of stream) deltas.push(chunk.choices[0]?.delta.content ?? '');
  // Input scanning is off for this project: the provider got the address and echoed it back ...
  expect(lastUpstreamBody()).toContain(OTHER_EMAIL);
  // ... cut into pieces no single chunk of which holds the whole address ...
  const upstreamChunks = splitIntoChunks(`Echo: ${prompt}`, 25); // the mock's own (deterministic) chunking
  expect(upstreamChunks.join('')).toBe(`Echo: ${prompt}`);
  expect(upstreamChunks.some((c) => c.includes(OTHER_EMAIL))).toBe(false);
  // ... and the client never saw it.
  expect(deltas.join('')).toBe(`Echo: Reach [EMAIL] now mock:chunks:25`);
  expect(deltas.some((d) => d.includes('@'))).toBe(false);
});

it('records audit events and log versions without the values', async () => {
  await world.gateway.gateway.close();
  const events = (await world.gateway.store.audit.query({ eventPrefix: 'guardrail.', limit: 100 })).items;
  const names = events.map((e) => e.event);
  expect(names).toContain('guardrail.masked');
  expect(names).toContain('guardrail.blocked');
  const blocked = events.find((e) => e.event === 'guardrail.blocked')!;
  expect(blocked.metadata).toMatchObject({ direction: 'input', types: 'CREDIT_CARD' });
  const serialized = JSON.stringify(events);
  for (const value of [SSN, CARD, '4111', EMAIL, OTHER_EMAIL]) expect(serialized).not.toContain(value);

  const policy = await world.gateway.store.policies.findOne({ projectId: PROJECT_ID, kind: 'guardrail', current: true });
  for (const id of requestIds) {
    const log = await world.gateway.store.requestLogs.get(id);
    expect(log?.versions).toMatchObject({ [`guardrail:${policy!.id}`]: 1 });
    expect(JSON.stringify(log)).not.toContain(EMAIL);
  }
});
