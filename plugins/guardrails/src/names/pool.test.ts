import { fakeContext, fakeHost, startPlugin, textResponse, userRequest } from '../__fixtures__/fake-host';
import type { CanonicalChatRequest, CanonicalChatResponse } from '@portcullis/core';
import { CostModel } from './inline-tagger';
import { NamesWorkerPool } from './pool';
import { NAMES_WORKER_SOURCE } from './worker-source';

/** A worker that answers after `delayMs` with one PERSON span per snippet (busy-waits: a stuck tagger). */
const slowWorker = (delayMs: number): string => `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (msg) => {
  const until = Date.now() + ${delayMs};
  while (Date.now() < until) {}
  parentPort.postMessage({ id: msg.id, results: msg.snippets.map(() => [{ type: 'PERSON', start: 0, end: 4 }]) });
});`;

/** A cost model that expects every job to take `ms` (timing-free inline decisions). */
const fixedCost = (ms: number): CostModel => Object.assign(new CostModel(), { add: () => {}, expect: () => ms });

describe('NamesWorkerPool', () => {
  it('finds people, places and organisations with compromise', async () => {
    const pool = new NamesWorkerPool({ size: 1, maxQueue: 4, source: NAMES_WORKER_SOURCE, workerData: { compromisePath: require.resolve('compromise/two') } });
    const snippet = 'Yesterday John Smith met Maria Garcia from Acme Corp in Paris.';
    const out = await pool.analyze([snippet], ['PERSON', 'LOCATION', 'ORGANIZATION'], 5000);
    await pool.close();
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const found = out.spans[0]!.map((s) => [s.type, snippet.slice(s.start, s.end)]);
    expect(found).toEqual(expect.arrayContaining([['PERSON', 'John Smith'], ['PERSON', 'Maria Garcia'], ['ORGANIZATION', 'Acme Corp'], ['LOCATION', 'Paris']]));
  });

  it('tags several snippets in one job and maps offsets back to each snippet', async () => {
    const pool = new NamesWorkerPool({ size: 1, maxQueue: 4, source: NAMES_WORKER_SOURCE, workerData: { compromisePath: require.resolve('compromise/two') } });
    const snippets = ['we met John Smith yesterday', 'a flight to Paris tomorrow', 'nothing here at all'];
    const out = await pool.analyze(snippets, ['PERSON', 'LOCATION'], 5000);
    await pool.close();
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const found = out.spans.map((spans, i) => spans.map((s) => [s.type, snippets[i]!.slice(s.start, s.end)]));
    expect(found).toEqual([[['PERSON', 'John Smith']], [['LOCATION', 'Paris']], []]);
  });

  it('answers jobs while it is still warming up', async () => {
    const pool = new NamesWorkerPool({ size: 1, maxQueue: 4, source: NAMES_WORKER_SOURCE, workerData: { compromisePath: require.resolve('compromise/two'), warmUpRounds: 100_000 } });
    const snippet = 'we met John Smith yesterday';
    const out = await pool.analyze([snippet], ['PERSON'], 10_000);
    await pool.close();
    expect(out).toEqual({ ok: true, spans: [[{ type: 'PERSON', start: 7, end: 17 }]] });
  });

  it('tags on the event loop only when asked to, and then only jobs that fit', async () => {
    const compromisePath = require.resolve('compromise/two');
    const byDefault = new NamesWorkerPool({ size: 1, maxQueue: 4, source: NAMES_WORKER_SOURCE, workerData: { compromisePath } });
    expect(byDefault.inline).toBeNull();
    await byDefault.close();
    // A worker that never answers: whatever comes back was tagged inline.
    const silent = `require('node:worker_threads').parentPort.on('message', () => {});`;
    const pool = new NamesWorkerPool({ size: 1, maxQueue: 4, source: silent, workerData: { compromisePath, warmUpRounds: 2 }, inline: { maxJobMs: 1, maxShare: 1, burstMs: 1e9, cost: fixedCost(0.1) } });
    expect(await pool.inline!.whenReady).toBe(true);
    expect(await pool.analyze(['we met John Smith yesterday'], ['PERSON'], 5000)).toEqual({ ok: true, spans: [[{ type: 'PERSON', start: 7, end: 17 }]] });
    // Expected to cost more than its budget: the worker's, and it times out.
    expect(await pool.analyze(['we met John Smith yesterday'], ['PERSON'], 0.05)).toEqual({ ok: false, reason: 'timeout' });
    await pool.close();
    const off = new NamesWorkerPool({ size: 1, maxQueue: 4, source: NAMES_WORKER_SOURCE, workerData: { compromisePath } });
    expect(off.inline).toBeNull();
    await off.close();
  });

  it('times out a slow job, refuses work beyond the queue bound, and recovers', async () => {
    const pool = new NamesWorkerPool({ size: 1, maxQueue: 1, source: slowWorker(300), workerData: {}, stuckAfterMs: 50 });
    const first = pool.analyze(['a'], ['PERSON'], 30);
    const second = pool.analyze(['b'], ['PERSON'], 30);
    const third = await pool.analyze(['c'], ['PERSON'], 30);
    expect(third).toEqual({ ok: false, reason: 'queue_full' });
    expect(await first).toEqual({ ok: false, reason: 'timeout' });
    expect(await second).toEqual({ ok: false, reason: 'timeout' });
    // The busy worker is replaced (stuckAfterMs) or finishes; either way new work succeeds.
    expect(await pool.analyze(['e'], ['PERSON'], 3000)).toEqual({ ok: true, spans: [[{ type: 'PERSON', start: 0, end: 4 }]] });
    await pool.close();
    expect(await pool.analyze(['d'], ['PERSON'], 30)).toEqual({ ok: false, reason: 'closed' });
  });
});

describe('guardrails plugin: names', () => {
  const request = (): CanonicalChatRequest => userRequest('Please email the contract to John Smith at Acme Corp today.');

  it('masks names found by the worker pool', async () => {
    const fake = fakeHost([{ entities: { PERSON: 'mask', ORGANIZATION: 'mask' }, names: { timeoutMs: 5000 } }]);
    const { plugin, teardown } = await startPlugin(fake.host, { names: { workers: 1, maxQueue: 8 } }, { namesWarmUpRounds: 0 });
    const ctx = fakeContext(request());
    await plugin.hooks!.beforeUpstream!(ctx);
    await teardown();
    expect((ctx.llm!.request as CanonicalChatRequest).messages[0]!.content).toBe('Please email the contract to [PERSON] at [ORGANIZATION] today.');
  });

  it('fails open with an audit note when the budget runs out and the policy allows it', async () => {
    const fake = fakeHost([{ entities: { PERSON: 'mask' }, names: { timeoutMs: 20, onTimeout: 'allow' } }]);
    const { plugin, teardown } = await startPlugin(fake.host, { names: { workers: 1, maxQueue: 8 } }, { namesWorkerSource: slowWorker(400) });
    const ctx = fakeContext(request());
    await plugin.hooks!.beforeUpstream!(ctx);
    await teardown();
    expect((ctx.llm!.request as CanonicalChatRequest).messages[0]!.content).toContain('John Smith');
    expect(fake.audit).toEqual([expect.objectContaining({ event: 'guardrail.names_skipped', metadata: expect.objectContaining({ reason: 'timeout', outcome: 'allowed' }) })]);
    expect(ctx.logAnnotations.metadata['guardrail.names']).toBe('allowed:timeout');
  });

  it('fails closed with 503 guardrail_timeout when the policy says block', async () => {
    const fake = fakeHost([{ entities: { PERSON: 'mask' }, names: { timeoutMs: 20, onTimeout: 'block' } }]);
    const { plugin, teardown } = await startPlugin(fake.host, { names: { workers: 1, maxQueue: 8 } }, { namesWorkerSource: slowWorker(400) });
    const err = await Promise.resolve(plugin.hooks!.beforeUpstream!(fakeContext(request()))).catch((e: unknown) => e);
    await teardown();
    expect(err).toMatchObject({ code: 'GW_ERR_GUARDRAIL_TIMEOUT', status: 503 });
  });

  describe('on a whole (non-streamed) answer', () => {
    const answer = (content: string, args?: string): CanonicalChatResponse => textResponse(content, args);
    const respond = async (plugin: Awaited<ReturnType<typeof startPlugin>>['plugin'], prompt: string, response: CanonicalChatResponse) => {
      const ctx = fakeContext(userRequest(prompt));
      await plugin.hooks!.beforeUpstream!(ctx);
      return { ctx, out: (await plugin.hooks!.onResponse!(ctx, response)) as CanonicalChatResponse };
    };

    it('masks names in the text and in tool-call arguments (JSON kept valid)', async () => {
      const fake = fakeHost([{ entities: { PERSON: 'mask', ORGANIZATION: 'mask' }, scanOutput: true, names: { timeoutMs: 5000 } }]);
      const { plugin, teardown } = await startPlugin(fake.host, { names: { workers: 1, maxQueue: 8 } }, { namesWarmUpRounds: 0 });
      const { out } = await respond(plugin, 'who signed?', answer('The contract was signed by John Smith at Acme Corp yesterday.', '{"signer":"John Smith"}'));
      await teardown();
      const message = out.choices[0]!.message;
      expect(message.content).toBe('The contract was signed by [PERSON] at [ORGANIZATION] yesterday.');
      expect(JSON.parse(message.tool_calls![0]!.function.arguments)).toEqual({ signer: '[PERSON]' });
      expect(fake.audit).toEqual(expect.arrayContaining([expect.objectContaining({ event: 'guardrail.masked', metadata: expect.objectContaining({ direction: 'output' }) })]));
    });

    it('restores a reversible placeholder the model echoed, even when a name sits right beside it', async () => {
      const fake = fakeHost([{ entities: { PERSON: 'redact_reversible' }, scanOutput: true, names: { timeoutMs: 5000 } }]);
      const { plugin, teardown } = await startPlugin(fake.host, { names: { workers: 1, maxQueue: 8 } }, { namesWarmUpRounds: 0 });
      const { ctx, out } = await (async () => {
        const ctx = fakeContext(userRequest('Please write to Maria Garcia about the invoice.'));
        await plugin.hooks!.beforeUpstream!(ctx);
        const sent = (ctx.llm!.request as CanonicalChatRequest).messages[0]!.content as string;
        const placeholder = /\[\[PERSON_\d+\]\]/.exec(sent)![0];
        const response = answer(`Dear ${placeholder}, as John Smith mentioned, the invoice is attached.`);
        return { ctx, out: (await plugin.hooks!.onResponse!(ctx, response)) as CanonicalChatResponse };
      })();
      await teardown();
      expect(ctx.llm).not.toBeNull();
      // The input's name comes back restored; the name the model added is a new one (reversible = kept).
      expect(out.choices[0]!.message.content).toBe('Dear Maria Garcia, as John Smith mentioned, the invoice is attached.');
    });

    it('withholds the answer with 503 guardrail_timeout when the names budget runs out and the policy says block', async () => {
      const fake = fakeHost([{ entities: { PERSON: 'mask' }, scanInput: false, scanOutput: true, names: { timeoutMs: 20, onTimeout: 'block' } }]);
      const { plugin, teardown } = await startPlugin(fake.host, { names: { workers: 1, maxQueue: 8 } }, { namesWorkerSource: slowWorker(400) });
      const ctx = fakeContext(userRequest('hello'));
      await plugin.hooks!.beforeUpstream!(ctx);
      const err = await Promise.resolve(plugin.hooks!.onResponse!(ctx, answer('Signed by John Smith.'))).catch((e: unknown) => e);
      await teardown();
      expect(err).toMatchObject({ code: 'GW_ERR_GUARDRAIL_TIMEOUT', status: 503 });
    });

    it('lets the answer through with an audit note when the policy allows a timeout', async () => {
      const fake = fakeHost([{ entities: { PERSON: 'mask' }, scanInput: false, scanOutput: true, names: { timeoutMs: 20, onTimeout: 'allow' } }]);
      const { plugin, teardown } = await startPlugin(fake.host, { names: { workers: 1, maxQueue: 8 } }, { namesWorkerSource: slowWorker(400) });
      const { out } = await respond(plugin, 'hello', answer('Signed by John Smith.'));
      await teardown();
      expect(out.choices[0]!.message.content).toBe('Signed by John Smith.');
      expect(fake.audit).toEqual([expect.objectContaining({ event: 'guardrail.names_skipped', metadata: expect.objectContaining({ reason: 'timeout', outcome: 'allowed' }) })]);
    });
  });
});
