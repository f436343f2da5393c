import type { CanonicalChatRequest, CanonicalChatResponse, EmbeddingsRequest, Usage } from '../spec/chat';

/**
 * Last-resort estimate (~4 characters per token) when an upstream never reported usage, e.g.
 * a client that disconnected before the provider's usage event. Marked as estimated in logs.
 */
export const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

export function requestChars(req: CanonicalChatRequest | EmbeddingsRequest): number {
  if ('messages' in req) {
    let n = 0;
    for (const m of req.messages) {
      const c = m.content;
      if (typeof c === 'string') n += c.length;
      else if (Array.isArray(c)) for (const part of c) if (part.type === 'text') n += part.text.length;
      if (m.role === 'assistant' && m.tool_calls) for (const t of m.tool_calls) n += t.function.arguments.length + t.function.name.length;
    }
    return n;
  }
  const input = req.input;
  if (typeof input === 'string') return input.length;
  if (Array.isArray(input)) return input.reduce<number>((n, x) => n + (typeof x === 'string' ? x.length : Array.isArray(x) ? x.length * 4 : 4), 0);
  return 0;
}

export function responseChars(res: CanonicalChatResponse): number {
  let n = 0;
  for (const c of res.choices) {
    n += c.message.content?.length ?? 0;
    for (const t of c.message.tool_calls ?? []) n += t.function.arguments.length + t.function.name.length;
  }
  return n;
}

export function estimateUsage(inputChars: number, outputChars: number): Usage {
  const inputTokens = estimateTokens(inputChars);
  const outputTokens = estimateTokens(outputChars);
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}
