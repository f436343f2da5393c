import type { StreamPart, Usage } from '@portcullis/core';
import { encodeUsage, openAiFinishReason } from './encode-response';

/**
 * Canonical StreamParts -> OpenAI `chat.completion.chunk` payloads (the text after `data: `).
 * The first chunk of each choice carries `role: "assistant"`; usage goes out once, last, and
 * only when the client asked for it with stream_options.include_usage.
 */
export class ChunkEncoder {
  private id: string;
  private model: string;
  private created: number;
  private systemFingerprint: string | null | undefined;
  private readonly started = new Set<number>();
  private usage: Usage | null = null;
  private failed = false;
  /** The serialised text before and after `choices` (see envelope()); reset when a response-meta changes it. */
  private cached: { head: string; tail: string } | null = null;

  constructor(
    fallback: { id: string; model: string; created: number },
    private readonly clientWantsUsage: boolean,
  ) {
    this.id = fallback.id;
    this.model = fallback.model;
    this.created = fallback.created;
  }

  /** True once an in-band error was encoded: the stream must end without [DONE]. */
  get errored(): boolean {
    return this.failed;
  }

  encode(part: StreamPart): string[] {
    switch (part.type) {
      case 'response-meta':
        this.cached = null;
        if (part.id) this.id = part.id;
        if (part.model) this.model = part.model;
        if (part.created) this.created = part.created;
        if (part.systemFingerprint !== undefined) this.systemFingerprint = part.systemFingerprint;
        return [];
      case 'text-delta':
        return this.choiceChunk(part.choice, { content: part.text });
      case 'refusal-delta':
        return this.choiceChunk(part.choice, { refusal: part.text });
      case 'tool-call-start':
        return this.choiceChunk(part.choice, {
          tool_calls: [{ index: part.index, id: part.id, type: 'function', function: { name: part.name, arguments: '' } }],
        });
      case 'tool-call-delta':
        return this.choiceChunk(part.choice, { tool_calls: [{ index: part.index, function: { arguments: part.argumentsDelta } }] });
      case 'tool-call-end':
        return [];
      case 'logprobs':
        return this.choiceChunk(part.choice, {}, { logprobs: part.logprobs });
      case 'finish':
        return this.choiceChunk(part.choice, {}, { finish_reason: openAiFinishReason(part.reason) });
      case 'usage':
        this.usage = part.usage;
        return [];
      case 'error':
        this.failed = true;
        return [JSON.stringify({ error: { message: part.error.message, type: 'api_error', param: null, code: part.error.code } })];
    }
  }

  /** After the last part: the usage chunk, when asked for. */
  finish(): string[] {
    if (!this.clientWantsUsage || this.failed) return [];
    return [`${this.envelope().head}]${this.fingerprintField()},"usage":${JSON.stringify(this.usage ? encodeUsage(this.usage) : null)}}`];
  }

  /**
   * The text around `choices` is the same on every chunk of a stream, so it is serialised once
   * (again only if a response-meta changes it) rather than per chunk: a stream is dozens of
   * chunks and this is the gateway's per-token hot path. Key order matches OpenAI's.
   */
  private envelope(): { head: string; tail: string } {
    if (!this.cached) {
      const head = `{"id":${JSON.stringify(this.id)},"object":"chat.completion.chunk","created":${JSON.stringify(this.created)},"model":${JSON.stringify(this.model)},"choices":[`;
      const tail = `]${this.fingerprintField()}${this.clientWantsUsage ? ',"usage":null' : ''}}`;
      this.cached = { head, tail };
    }
    return this.cached;
  }

  private fingerprintField(): string {
    return this.systemFingerprint === undefined ? '' : `,"system_fingerprint":${JSON.stringify(this.systemFingerprint)}`;
  }

  private choiceChunk(choice: number, delta: Record<string, unknown>, extra: { finish_reason?: string; logprobs?: unknown } = {}): string[] {
    if (!this.started.has(choice)) {
      this.started.add(choice);
      delta = { role: 'assistant', ...(delta['content'] === undefined && delta['tool_calls'] === undefined && delta['refusal'] === undefined ? { content: '' } : {}), ...delta };
    }
    const { head, tail } = this.envelope();
    const logprobs = JSON.stringify(extra.logprobs ?? null);
    const finishReason = extra.finish_reason === undefined ? 'null' : JSON.stringify(extra.finish_reason);
    return [`${head}{"index":${choice},"delta":${JSON.stringify(delta)},"logprobs":${logprobs},"finish_reason":${finishReason}}${tail}`];
  }
}
