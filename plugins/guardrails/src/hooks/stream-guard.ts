import type { StreamPart } from '@portcullis/core';
import type { Findings } from '../actions/findings';
import { redactText } from '../actions/redact';
import { jsonStringEscape, type RedactionVault } from '../actions/vault';
import type { Scanner } from '../detect/scanner';
import { PEM_BEGIN_SOURCE, PEM_END_SOURCE } from '../detect/secrets';
import type { Span } from '../detect/types';
import { holdBackStart } from './hold-back';

/** Already-emitted text kept as left context (keywords, word boundaries) for the next scan. */
const CONTEXT_CHARS = 64;
/** Longest PEM END marker: the tail kept while swallowing a key, to see a split marker. */
const PEM_END_TAIL = 64;

type ChannelKind = 'text' | 'refusal' | 'tool';
interface Channel {
  kind: ChannelKind;
  choice: number;
  index: number;
  pending: string;
  context: string;
  /** Inside a private key longer than the window: drop text until its END marker. */
  swallowing: boolean;
}

/**
 * Output guardrails on a canonical stream, one channel per (choice, text|refusal|tool-call
 * index). Each delta is appended to the channel's pending text; everything before the
 * undecided tail (see hold-back.ts) is scanned, acted on, has placeholders restored, and is
 * emitted at once. Tails flush at the choice's finish, at a tool call's end and at stream end.
 */
export class StreamGuard {
  private readonly channels = new Map<string, Channel>();
  private blocked = false;

  constructor(
    private readonly scanner: Scanner,
    private readonly vault: RedactionVault,
    private readonly findings: Findings,
  ) {}

  /** For onChunk: undefined = pass the part on unchanged. */
  push(part: StreamPart): StreamPart[] | undefined {
    if (this.blocked) return [];
    switch (part.type) {
      case 'text-delta':
      case 'refusal-delta': {
        const kind = part.type === 'text-delta' ? 'text' : 'refusal';
        return this.feedDelta(this.channel(kind, part.choice, 0), part.text, part);
      }
      case 'tool-call-delta':
        return this.feedDelta(this.channel('tool', part.choice, part.index), part.argumentsDelta, part);
      case 'tool-call-end':
        return this.flushThen(part, (c) => c.kind === 'tool' && c.choice === part.choice && c.index === part.index);
      case 'finish':
        return this.flushThen(part, (c) => c.choice === part.choice);
      case 'error':
        return this.flushThen(part, () => true);
      default:
        return undefined;
    }
  }

  /**
   * For onChunks: the parts of one upstream read. A run of consecutive deltas on one channel is
   * scanned once as one text instead of once per delta: at saturation a read carries dozens of
   * tokens and the scan has a fixed cost per call. When nothing in the run is held back or
   * changed, the original parts go on as they came (same granularity); otherwise what may be
   * emitted leaves as one delta.
   */
  pushBatch(parts: readonly StreamPart[]): StreamPart[] {
    const out: StreamPart[] = [];
    let i = 0;
    while (i < parts.length) {
      const part = parts[i]!;
      const end = deltaRunEnd(parts, i);
      if (end === i + 1) {
        const result = this.push(part);
        if (result === undefined) out.push(part);
        else for (const p of result) out.push(p);
      } else if (!this.blocked) {
        let text = '';
        for (let k = i; k < end; k++) text += deltaText(parts[k]!);
        const channel = this.channelOf(part);
        const emitted = this.feed(channel, text, false);
        if (this.blocked) out.push(this.blockedError());
        else if (emitted === text && channel.pending === '') for (let k = i; k < end; k++) out.push(parts[k]!);
        else if (emitted !== '') out.push(this.delta(channel, emitted, part));
      }
      i = end;
    }
    return out;
  }

  private channelOf(part: StreamPart): Channel {
    if (part.type === 'tool-call-delta') return this.channel('tool', part.choice, part.index);
    if (part.type === 'refusal-delta') return this.channel('refusal', part.choice, 0);
    if (part.type === 'text-delta') return this.channel('text', part.choice, 0);
    throw new Error(`not a delta: ${part.type}`);
  }

  /** For onStreamEnd: whatever is still held back. */
  end(): StreamPart[] {
    if (this.blocked) return [];
    return this.flush(() => true);
  }

  private channel(kind: ChannelKind, choice: number, index: number): Channel {
    const key = `${kind}:${choice}:${index}`;
    let channel = this.channels.get(key);
    if (channel === undefined) {
      channel = { kind, choice, index, pending: '', context: '', swallowing: false };
      this.channels.set(key, channel);
    }
    return channel;
  }

  private feedDelta(channel: Channel, delta: string, original: StreamPart): StreamPart[] | undefined {
    const emitted = this.feed(channel, delta, false);
    if (this.blocked) return [this.blockedError()];
    if (emitted === delta && channel.pending === '') return undefined;
    return emitted === '' ? [] : [this.delta(channel, emitted, original)];
  }

  private flushThen(part: StreamPart, which: (c: Channel) => boolean): StreamPart[] {
    const parts = this.flush(which);
    return this.blocked ? parts : [...parts, part];
  }

  private flush(which: (c: Channel) => boolean): StreamPart[] {
    const parts: StreamPart[] = [];
    for (const channel of this.channels.values()) {
      if (!which(channel)) continue;
      const emitted = this.feed(channel, '', true);
      if (this.blocked) return [this.blockedError()];
      if (emitted !== '') parts.push(this.delta(channel, emitted));
    }
    return parts;
  }

  /** Appends a delta and returns the text that may be emitted now. */
  private feed(channel: Channel, delta: string, final: boolean): string {
    if (channel.swallowing) {
      const rest = this.swallow(channel, delta, final);
      if (rest === null) return '';
      delta = rest;
    }
    const detect = this.scanner.policy.scanOutput;
    const base = channel.context.length;
    const buf = channel.context + channel.pending + delta;
    if (buf.length === base) return '';

    const pem = detect && this.scanner.detectsPrivateKeys ? this.unterminatedPrivateKey(buf, base) : -1;
    if (pem >= 0 && (final || buf.length - pem > this.scanner.window)) {
      // A key longer than the window: emit up to it, mask it, drop the rest until its END.
      const head = this.emit(buf, base, pem, this.spansIn(buf, base, detect), channel);
      channel.context = '';
      // Keep the key's tail: its END marker may be split across this delta and the next.
      channel.pending = final ? '' : buf.slice(Math.max(pem + 11, buf.length - PEM_END_TAIL));
      this.findings.add('PRIVATE_KEY', this.scanner.actionFor('PRIVATE_KEY'));
      if (this.scanner.actionFor('PRIVATE_KEY') === 'block') this.blocked = true;
      channel.swallowing = !final;
      return `${head}[PRIVATE_KEY]`;
    }

    const spans = this.spansIn(buf, base, detect);
    let cut = final
      ? buf.length
      : holdBackStart(buf, base, spans, {
          window: this.scanner.window,
          detectEntities: detect,
          detectsDateOfBirth: this.scanner.detectsDateOfBirth,
          detectsPrivateKeys: this.scanner.detectsPrivateKeys,
        });
    if (pem >= 0) cut = Math.min(cut, Math.max(pem, base));
    const out = this.emit(buf, base, cut, spans, channel);
    channel.pending = buf.slice(cut);
    channel.context = buf.slice(Math.max(0, cut - CONTEXT_CHARS), cut);
    return out;
  }

  private spansIn(buf: string, base: number, detect: boolean): Span[] {
    if (!detect) return [];
    return this.scanner
      .scan(buf)
      .filter((s) => s.end > base)
      .map((s) => (s.start < base ? { ...s, start: base } : s));
  }

  /** Redacts and restores buf[base, cut) and returns it. */
  private emit(buf: string, base: number, cut: number, spans: readonly Span[], channel: Channel): string {
    if (cut <= base) return '';
    const segment = buf.slice(base, cut);
    const inSegment = spans.filter((s) => s.end <= cut).map((s) => ({ ...s, start: s.start - base, end: s.end - base }));
    const escape = channel.kind === 'tool' ? jsonStringEscape : undefined;
    const text = redactText(segment, inSegment, {
      direction: 'output',
      actionFor: this.scanner.actionFor,
      vault: this.vault,
      findings: this.findings,
      restore: (s) => this.vault.restore(s, escape),
    });
    if (inSegment.some((s) => this.scanner.actionFor(s.type) === 'block')) this.blocked = true;
    return text;
  }

  /** Start of a PEM private key header with no END after it, or -1. */
  private unterminatedPrivateKey(buf: string, base: number): number {
    // Every delta of every stream comes through here; almost none carries a PEM header.
    if (!buf.includes('-----BEGIN')) return -1;
    const begin = new RegExp(PEM_BEGIN_SOURCE, 'g');
    let last = -1;
    for (let m = begin.exec(buf); m !== null; m = begin.exec(buf)) last = m.index;
    if (last < 0 || new RegExp(PEM_END_SOURCE).test(buf.slice(last))) return -1;
    return last + 30 > base ? last : -1;
  }

  /** While inside a long key: returns the text after its END marker, or null to keep dropping. */
  private swallow(channel: Channel, delta: string, final: boolean): string | null {
    const buf = channel.pending + delta;
    const end = new RegExp(PEM_END_SOURCE).exec(buf);
    if (end === null) {
      channel.pending = final ? '' : buf.slice(-PEM_END_TAIL);
      return null;
    }
    channel.swallowing = false;
    channel.pending = '';
    channel.context = '';
    return buf.slice(end.index + end[0].length);
  }

  private delta(channel: Channel, text: string, original?: StreamPart): StreamPart {
    if (channel.kind === 'tool') return { type: 'tool-call-delta', choice: channel.choice, index: channel.index, argumentsDelta: text };
    if (original?.type === 'refusal-delta' || channel.kind === 'refusal') return { type: 'refusal-delta', choice: channel.choice, text };
    return { type: 'text-delta', choice: channel.choice, text };
  }

  private blockedError(): StreamPart {
    const types = this.findings.types('block');
    return {
      type: 'error',
      error: {
        code: 'GW_ERR_GUARDRAIL_BLOCKED',
        message: `The response was blocked by a guardrail policy (${types.join(', ')}).`,
        status: 422,
        retryable: false,
      },
    };
  }

  get blockedTypes(): string[] {
    return this.blocked ? this.findings.types('block') : [];
  }
}

/** The text a delta part adds ('' for parts that are not deltas). */
function deltaText(part: StreamPart): string {
  if (part.type === 'text-delta' || part.type === 'refusal-delta') return part.text;
  if (part.type === 'tool-call-delta') return part.argumentsDelta;
  return '';
}

/** Whether two parts are deltas on the same channel (kind, choice, tool-call index). */
function sameChannel(a: StreamPart, b: StreamPart): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'tool-call-delta') return b.type === 'tool-call-delta' && a.choice === b.choice && a.index === b.index;
  return (a.type === 'text-delta' || a.type === 'refusal-delta') && a.choice === (b as typeof a).choice;
}

/** End (exclusive) of the run of deltas on parts[start]'s channel; start + 1 for any other part. */
function deltaRunEnd(parts: readonly StreamPart[], start: number): number {
  const first = parts[start]!;
  if (first.type !== 'text-delta' && first.type !== 'refusal-delta' && first.type !== 'tool-call-delta') return start + 1;
  let end = start + 1;
  while (end < parts.length && sameChannel(first, parts[end]!)) end++;
  return end;
}
