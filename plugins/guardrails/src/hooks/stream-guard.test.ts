import type { StreamPart } from '@portcullis/core';
import { Findings } from '../actions/findings';
import { redactText } from '../actions/redact';
import { RedactionVault } from '../actions/vault';
import { corpusScanner, loadCorpus } from '../__fixtures__/corpus/evaluate';
import { StreamGuard } from './stream-guard';

const scanner = corpusScanner();

function wholeText(text: string): string {
  return redactText(text, scanner.scan(text), { direction: 'output', actionFor: scanner.actionFor, vault: new RedactionVault(), findings: new Findings() });
}

function streamed(chunks: string[], kind: 'text' | 'tool' = 'text'): string {
  const guard = new StreamGuard(scanner, new RedactionVault(), new Findings());
  const out: StreamPart[] = [];
  const push = (part: StreamPart): void => {
    const result = guard.push(part);
    out.push(...(result === undefined ? [part] : result));
  };
  for (const chunk of chunks) {
    push(kind === 'text' ? { type: 'text-delta', choice: 0, text: chunk } : { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: chunk });
  }
  push({ type: 'finish', choice: 0, reason: { unified: 'stop', raw: 'stop' } });
  out.push(...guard.end());
  return out.map((p) => (p.type === 'text-delta' ? p.text : p.type === 'tool-call-delta' ? p.argumentsDelta : '')).join('');
}

/** The same stream through pushBatch, `perBatch` deltas per upstream read (core's onChunks path). */
function streamedInBatches(chunks: string[], perBatch: number, kind: 'text' | 'tool' = 'text'): string {
  const guard = new StreamGuard(scanner, new RedactionVault(), new Findings());
  const parts: StreamPart[] = chunks.map((chunk) =>
    kind === 'text' ? { type: 'text-delta', choice: 0, text: chunk } : { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: chunk },
  );
  parts.push({ type: 'finish', choice: 0, reason: { unified: 'stop', raw: 'stop' } });
  const out: StreamPart[] = [];
  for (let i = 0; i < parts.length; i += perBatch) out.push(...guard.pushBatch(parts.slice(i, i + perBatch)));
  out.push(...guard.end());
  return out.map((p) => (p.type === 'text-delta' ? p.text : p.type === 'tool-call-delta' ? p.argumentsDelta : '')).join('');
}

describe('stream guard', () => {
  const withEntities = loadCorpus().filter((s) => s.entities.length > 0);

  it('masks every corpus entity split at every offset across two chunks, exactly as the whole text', () => {
    const failures: string[] = [];
    for (const sample of withEntities) {
      const expected = wholeText(sample.text);
      for (const e of sample.entities) expect(expected).not.toContain(sample.text.slice(e.start, e.end));
      for (let k = 0; k <= sample.text.length; k++) {
        const got = streamed([sample.text.slice(0, k), sample.text.slice(k)]);
        if (got !== expected) failures.push(`${sample.id} @${k}: ${JSON.stringify(got)}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('also holds in tool-call arguments and with one character per chunk', () => {
    const failures: string[] = [];
    for (const sample of withEntities.filter((_, i) => i % 5 === 0)) {
      const expected = wholeText(sample.text);
      if (streamed([...sample.text]) !== expected) failures.push(`${sample.id} chars`);
      if (streamed([...sample.text], 'tool') !== expected) failures.push(`${sample.id} tool`);
    }
    expect(failures).toEqual([]);
  });

  it('emits a clean prefix at once and holds back at most the window', () => {
    const guard = new StreamGuard(scanner, new RedactionVault(), new Findings());
    const first = guard.push({ type: 'text-delta', choice: 0, text: 'The answer is simple. ' });
    expect(first).toBeUndefined(); // unchanged: passed through whole
    const noSpaces = 'a'.repeat(1000);
    const second = guard.push({ type: 'text-delta', choice: 0, text: noSpaces }) ?? [];
    const emitted = second.map((p) => (p.type === 'text-delta' ? p.text : '')).join('');
    expect(noSpaces.length - emitted.length).toBeLessThanOrEqual(scanner.window);
    expect(emitted.length).toBeGreaterThan(0);
  });

  it('keeps separate channels per choice and tool-call index', () => {
    const guard = new StreamGuard(scanner, new RedactionVault(), new Findings());
    const parts: StreamPart[] = [
      { type: 'text-delta', choice: 0, text: 'mail bob@exa' },
      { type: 'text-delta', choice: 1, text: 'card 4111 1111 ' },
      { type: 'text-delta', choice: 0, text: 'mple.com ok' },
      { type: 'text-delta', choice: 1, text: '1111 1111 done' },
      { type: 'finish', choice: 0, reason: { unified: 'stop', raw: 'stop' } },
      { type: 'finish', choice: 1, reason: { unified: 'stop', raw: 'stop' } },
    ];
    const out = parts.flatMap((p) => guard.push(p) ?? [p]);
    const text = (choice: number): string => out.map((p) => (p.type === 'text-delta' && p.choice === choice ? p.text : '')).join('');
    expect(text(0)).toBe('mail [EMAIL] ok');
    expect(text(1)).toBe('card [CREDIT_CARD] done');
  });

  it('in batches (onChunks) masks every corpus entity exactly as the whole text, whatever the batch size', () => {
    const failures: string[] = [];
    for (const sample of withEntities) {
      const expected = wholeText(sample.text);
      const words = sample.text.split(/(?<= )/);
      for (const perBatch of [1, 2, 3, 7, 1000]) {
        if (streamedInBatches(words, perBatch) !== expected) failures.push(`${sample.id} words/${perBatch}`);
      }
      if (streamedInBatches([...sample.text], 5) !== expected) failures.push(`${sample.id} chars/5`);
      if (streamedInBatches([...sample.text], 4, 'tool') !== expected) failures.push(`${sample.id} tool chars/4`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('in batches passes clean parts on as they came, and merges only what it held back or changed', () => {
    const guard = new StreamGuard(scanner, new RedactionVault(), new Findings());
    const clean: StreamPart[] = ['The ', 'answer ', 'is ', 'simple. '].map((text) => ({ type: 'text-delta', choice: 0, text }));
    const first = guard.pushBatch(clean);
    expect(first).toHaveLength(4);
    first.forEach((p, i) => expect(p).toBe(clean[i]));
    const withMail: StreamPart[] = ['Write ', 'to bob', '@example', '.com ', 'today. '].map((text) => ({ type: 'text-delta', choice: 0, text }));
    const second = guard.pushBatch(withMail);
    expect(second).toEqual([{ type: 'text-delta', choice: 0, text: 'Write to [EMAIL] today. ' }]);
  });

  it('in batches keeps channels apart and parts that are not deltas in place', () => {
    const guard = new StreamGuard(scanner, new RedactionVault(), new Findings());
    const finish0: StreamPart = { type: 'finish', choice: 0, reason: { unified: 'stop', raw: 'stop' } };
    const out = guard.pushBatch([
      { type: 'text-delta', choice: 0, text: 'mail bob@exa' },
      { type: 'text-delta', choice: 0, text: 'mple.com ok' },
      { type: 'text-delta', choice: 1, text: 'card 4111 1111 ' },
      { type: 'text-delta', choice: 1, text: '1111 1111 done' },
      finish0,
      { type: 'text-delta', choice: 1, text: ' more' },
    ]);
    out.push(...guard.end());
    const text = (choice: number): string => out.map((p) => (p.type === 'text-delta' && p.choice === choice ? p.text : '')).join('');
    expect(text(0)).toBe('mail [EMAIL] ok');
    expect(text(1)).toBe('card [CREDIT_CARD] done more');
    // Choice 0's text all went out before its finish.
    const finishAt = out.indexOf(finish0);
    expect(out.slice(finishAt + 1).some((p) => p.type === 'text-delta' && p.choice === 0)).toBe(false);
  });
});
