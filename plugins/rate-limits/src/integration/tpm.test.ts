import type { GatewayPlugin } from '@portcullis/core';
import { countChatInputTokens } from '../token-estimate';
import { createPlugin } from '../index';
import { errorCodeOf, postChat, startWorld, waitForFinishedRequests, type RawAnswer, type World } from './world';

/**
 * TPM through a real gateway: concurrent requests reserve their estimate (input tokens by the
 * tokenizer + max_tokens) up front, so a burst can never admit more than the limit holds; when
 * each response ends the reservation is reconciled to the provider's usage, and the refunded
 * tokens admit a second burst.
 */
const PROJECT_ID = '0e4b7c21-8f3a-4d6e-b5c9-2a1d7e8f9b30';
const TOKEN = 'pc_live_TpmIntegrationToken0123456789ab';
const MAX_TOKENS = 64;
const MESSAGES = [
  { role: 'system' as const, content: 'You are a careful assistant that answers briefly.' },
  // mock:slow holds each answer for a second, so the whole burst is admitted before any
  // response ends (and reconciles): otherwise a burst would really be a sequence.
  { role: 'user' as const, content: 'Summarise the plot of a long novel about a lighthouse keeper in two sentences. mock:slow:1000' },
];
/** What the plugin reserves per request (the tokenizer count of the prompt plus max_tokens). */
const ESTIMATE = countChatInputTokens({ model: 'openai:gpt-4o-mini', messages: MESSAGES, max_tokens: MAX_TOKENS }) + MAX_TOKENS;
const FITS = 8;
/** Room for 8.5 reservations: the 9th must be refused even though it half fits. */
const TPM = ESTIMATE * FITS + Math.floor(ESTIMATE / 2);
const BURST = 24;

let world: World;
beforeAll(async () => {
  world = await startWorld({
    projects: [{ id: PROJECT_ID, token: TOKEN, policies: [`{ kind: rate_limit, config: { tpm: ${TPM} } }`] }],
    plugins: [{ plugin: createPlugin() as GatewayPlugin<never> }],
  });
});
afterAll(() => world?.close());

const burst = (): Promise<RawAnswer[]> =>
  Promise.all(Array.from({ length: BURST }, () => postChat(world.baseURL(PROJECT_ID), TOKEN, { messages: MESSAGES, max_tokens: MAX_TOKENS })));

const usedTokens = (answers: RawAnswer[]): number =>
  answers.reduce((sum, a) => sum + (a.body as { usage: { total_tokens: number } }).usage.total_tokens, 0);

it('admits only what the token window holds, then reuses what reconciliation refunds', async () => {
  const first = await burst();
  const admitted1 = first.filter((a) => a.status === 200);
  const refused1 = first.filter((a) => a.status !== 200);
  expect(admitted1).toHaveLength(FITS);
  for (const a of refused1) {
    expect(a.status).toBe(429);
    expect(errorCodeOf(a.body)).toBe('rate_limit_exceeded');
    expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  }
  // Each admission took exactly one estimate from the window: remaining = TPM - k * ESTIMATE.
  const remaining1 = admitted1.map((a) => Number(a.headers.get('x-ratelimit-remaining-tokens'))).sort((x, y) => y - x);
  expect(remaining1).toEqual(Array.from({ length: FITS }, (_, k) => TPM - (k + 1) * ESTIMATE));
  for (const a of admitted1) expect(a.headers.get('x-ratelimit-limit-tokens')).toBe(String(TPM));

  const used1 = usedTokens(admitted1);
  // The mock answers far below max_tokens, so the reservations overstate usage.
  expect(used1).toBeLessThan(FITS * ESTIMATE);
  await waitForFinishedRequests(world.gateway.url, BURST);

  // Refunded tokens are capacity again: the second burst fits exactly what is left.
  const second = await burst();
  const admitted2 = second.filter((a) => a.status === 200);
  const expected2 = Math.floor((TPM - used1) / ESTIMATE);
  expect(expected2).toBeGreaterThan(0);
  expect(admitted2).toHaveLength(expected2);
  const remaining2 = admitted2.map((a) => Number(a.headers.get('x-ratelimit-remaining-tokens'))).sort((x, y) => y - x);
  expect(remaining2).toEqual(Array.from({ length: expected2 }, (_, k) => TPM - used1 - (k + 1) * ESTIMATE));
  expect(second.filter((a) => a.status !== 200).every((a) => a.status === 429)).toBe(true);

  // Admitted tokens over the window never pass the limit by more than one reservation's error.
  const usedTotal = used1 + usedTokens(admitted2);
  expect(usedTotal).toBeLessThanOrEqual(TPM + ESTIMATE);
});

it('refuses at once a request whose own estimate is above the limit, without calling the provider', async () => {
  const before = world.mock.requests.length;
  const answer = await postChat(world.baseURL(PROJECT_ID), TOKEN, { messages: MESSAGES, max_tokens: TPM });
  expect(answer.status).toBe(429);
  expect(errorCodeOf(answer.body)).toBe('rate_limit_exceeded');
  expect(world.mock.requests.length).toBe(before);
});
