import type { GatewayPlugin, RequestLogRecord } from '@portcullis/core';
import { countChatInputTokens } from '@portcullis/plugin-rate-limits';
import { createPlugin } from '../index';
import { chatRequestsSeen, errorCodeOf, postChat, startWorld, waitForFinishedRequests, type RawAnswer, type World } from './world';

/**
 * A USD cap through a real gateway, hammered concurrently: each request reserves its estimated
 * cost (price override from portcullis.yaml) before the provider is called; over the cap it is
 * refused with 402 budget_exceeded and the provider never sees it; recorded spend stays within
 * the cap (plus at most one request's estimate error) and ends within one estimate of it.
 */
jest.setTimeout(30_000);

const PROJECT_ID = '5d2f8a13-6c4e-4b7a-8f90-1e3d5c7b9a24';
const TOKEN = 'pc_live_BudgetCapIntegrationToken012345';
const PRICE = { inputPerMTok: 10, outputPerMTok: 20 };
const CAP_USD = 0.01;
const MAX_TOKENS = 50;
// mock:slow keeps every answer of a wave open until the whole wave has been admitted.
const MESSAGES = [{ role: 'user' as const, content: 'Give me a one-line status update. mock:slow:600' }];
const costOf = (input: number, output: number): number => (input * PRICE.inputPerMTok + output * PRICE.outputPerMTok) / 1e6;
/** The reservation per request: tokenizer count of the prompt plus max_tokens, priced. */
const ESTIMATE_USD = costOf(countChatInputTokens({ model: 'openai:gpt-4o-mini', messages: MESSAGES, max_tokens: MAX_TOKENS }), MAX_TOKENS);
const WAVE = 20;

let world: World;
beforeAll(async () => {
  world = await startWorld({
    projects: [{ id: PROJECT_ID, token: TOKEN, policies: [`{ kind: budget, config: { capUsd: ${CAP_USD}, window: total } }`] }],
    plugins: [{ plugin: createPlugin() as GatewayPlugin<never> }],
    extraYaml: `prices: { "openai:gpt-4o-mini": { inputPerMTok: ${PRICE.inputPerMTok}, outputPerMTok: ${PRICE.outputPerMTok} } }`,
  });
});
afterAll(() => world?.close());

it('refuses with 402 before the provider once the cap is reached, and never overspends', async () => {
  const answers: RawAnswer[] = [];
  const admittedPerWave: number[] = [];
  // Waves until one is refused entirely: reconciliation gives back what each wave did not use.
  for (let wave = 0; wave < 12; wave += 1) {
    const results = await Promise.all(Array.from({ length: WAVE }, () => postChat(world.baseURL(PROJECT_ID), TOKEN, { messages: MESSAGES, max_tokens: MAX_TOKENS })));
    answers.push(...results);
    admittedPerWave.push(results.filter((a) => a.status === 200).length);
    await waitForFinishedRequests(world.gateway.url, answers.length);
    if (admittedPerWave[wave] === 0) break;
  }
  expect(admittedPerWave[admittedPerWave.length - 1]).toBe(0);
  // The first wave fits exactly the reservations the cap holds.
  expect(admittedPerWave[0]).toBe(Math.floor(CAP_USD / ESTIMATE_USD + 1e-9));
  // Later waves were admitted thanks to refunds of unused reservations.
  expect(admittedPerWave.length).toBeGreaterThan(2);

  const ok = answers.filter((a) => a.status === 200);
  for (const refused of answers.filter((a) => a.status !== 200)) {
    expect(refused.status).toBe(402);
    expect(errorCodeOf(refused.body)).toBe('budget_exceeded');
    expect(refused.body).toMatchObject({ error: { type: 'insufficient_quota' } });
  }
  // Refusals happened before the upstream call: the provider saw only admitted requests.
  expect(chatRequestsSeen(world.mock)).toBe(ok.length);

  // Recorded spend, from the request logs once the gateway has flushed them.
  await world.gateway.gateway.close();
  const logs: RequestLogRecord[] = (await world.gateway.store.requestLogs.query({ projectId: PROJECT_ID, limit: 1000 })).items;
  expect(logs).toHaveLength(answers.length);
  const charged = logs.filter((l) => l.status === 200);
  expect(charged).toHaveLength(ok.length);
  for (const l of charged) expect(l.costUsd).toBeCloseTo(costOf(l.inputTokens!, l.outputTokens!), 12);
  for (const l of logs.filter((l) => l.status === 402)) expect(l.costUsd ?? 0).toBe(0);
  const spent = charged.reduce((sum, l) => sum + l.costUsd!, 0);
  expect(spent).toBeLessThanOrEqual(CAP_USD + ESTIMATE_USD);
  // Nothing was left on the table either: the last refusal came with less than one estimate left.
  expect(spent).toBeGreaterThan(CAP_USD - ESTIMATE_USD);
});
