import type { GatewayPlugin, RequestContext } from '../spec/plugin';
import type { StreamPart } from '../spec/stream';
import { applyChunkHooks, applyStreamEndHooks } from './hook-runner';
import { buildHookTable, resolvePlugins } from './plugin-registry';

const ctx = {} as RequestContext;
const text = (t: string): StreamPart => ({ type: 'text-delta', choice: 0, text: t });
const tagger = (name: string, priority: number): GatewayPlugin<unknown> => ({
  name,
  apiVersion: 1,
  priority,
  hooks: { onChunk: (_c, p) => (p.type === 'text-delta' ? { ...p, text: `${p.text}+${name}` } : undefined) },
});

describe('applyChunkHooks', () => {
  it('chains hooks in priority order; null drops a part, an array fans out', () => {
    const table = buildHookTable(
      resolvePlugins([
        { plugin: tagger('low', 1) },
        { plugin: { name: 'split', apiVersion: 1, priority: 5, hooks: { onChunk: (_c, p) => [p, p] } } },
        { plugin: tagger('high', 9) },
      ]),
    );
    expect(applyChunkHooks(table.onChunk, ctx, [text('a')])).toEqual([text('a+high+low'), text('a+high+low')]);
    const dropper = buildHookTable(resolvePlugins([{ plugin: { name: 'drop', apiVersion: 1, hooks: { onChunk: () => null } } }]));
    expect(applyChunkHooks(dropper.onChunk, ctx, [text('a')])).toEqual([]);
  });
});

describe('onChunks (the batch form)', () => {
  it('is called once per batch instead of onChunk, between per-part hooks in priority order', () => {
    const batches: string[][] = [];
    const merger: GatewayPlugin<unknown> = {
      name: 'merger',
      apiVersion: 1,
      priority: 5,
      hooks: {
        onChunk: () => {
          throw new Error('onChunk must not run when onChunks is defined');
        },
        onChunks: (_c, parts) => {
          batches.push(parts.map((p) => (p.type === 'text-delta' ? p.text : p.type)));
          return [text(parts.map((p) => (p.type === 'text-delta' ? p.text : '')).join(''))];
        },
      },
    };
    const table = buildHookTable(resolvePlugins([{ plugin: tagger('low', 1) }, { plugin: merger }, { plugin: tagger('high', 9) }]));
    expect(applyChunkHooks(table.onChunk, ctx, [text('a'), text('b')])).toEqual([text('a+highb+high+low')]);
    expect(batches).toEqual([['a+high', 'b+high']]);
  });

  it('passes the batch on unchanged when it returns undefined', () => {
    const watcher: GatewayPlugin<unknown> = { name: 'watcher', apiVersion: 1, hooks: { onChunks: () => undefined } };
    const table = buildHookTable(resolvePlugins([{ plugin: watcher }]));
    const batch = [text('a'), text('b')];
    expect(applyChunkHooks(table.onChunk, ctx, batch)).toBe(batch);
  });
});

describe('applyStreamEndHooks', () => {
  it('passes flushed parts only through the chunk hooks of later (lower-priority) plugins', () => {
    const flusher: GatewayPlugin<unknown> = { name: 'flusher', apiVersion: 1, priority: 5, hooks: { onStreamEnd: () => [text('held')] } };
    const table = buildHookTable(resolvePlugins([{ plugin: tagger('before', 9) }, { plugin: flusher }, { plugin: tagger('after', 1) }]));
    // The flusher has no onChunk hook itself: the plugin that ran before it must not see its parts again.
    expect(applyStreamEndHooks(table, ctx)).toEqual([text('held+after')]);
  });
});
