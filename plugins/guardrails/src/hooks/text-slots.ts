import type { CanonicalChatRequest, ChatMessage, EmbeddingsRequest } from '@portcullis/core';

/** One piece of text in a request that guardrails look at, and how to write it back. */
export interface TextSlot {
  text: string;
  role: ChatMessage['role'] | 'embedding';
  /** Tool-call arguments are JSON; replacements must stay valid inside JSON strings. */
  isJson: boolean;
  write(target: CanonicalChatRequest | EmbeddingsRequest, text: string): void;
}

type Parts = { type: string; text?: string }[];

/**
 * Every text that goes upstream: message content (string or text parts of multimodal content),
 * tool results, earlier assistant turns and their tool-call arguments; embedding inputs.
 * Images, audio and files are not text and are left alone.
 */
export function requestTextSlots(request: CanonicalChatRequest | EmbeddingsRequest): TextSlot[] {
  const slots: TextSlot[] = [];
  if ('messages' in request) {
    request.messages.forEach((message, i) => {
      const msgAt = (target: CanonicalChatRequest | EmbeddingsRequest): ChatMessage => (target as CanonicalChatRequest).messages[i]!;
      const content = message.content;
      if (typeof content === 'string') {
        slots.push({ text: content, role: message.role, isJson: false, write: (t, text) => void (msgAt(t).content = text) });
      } else if (Array.isArray(content)) {
        (content as Parts).forEach((part, j) => {
          if (part.type === 'text' && typeof part.text === 'string') {
            slots.push({
              text: part.text,
              role: message.role,
              isJson: false,
              write: (t, text) => void ((msgAt(t).content as Parts)[j]!.text = text),
            });
          }
        });
      }
      if (message.role === 'assistant') {
        message.tool_calls?.forEach((call, k) => {
          slots.push({
            text: call.function.arguments,
            role: 'assistant',
            isJson: true,
            write: (t, text) => {
              const m = msgAt(t);
              if (m.role === 'assistant' && m.tool_calls?.[k] !== undefined) m.tool_calls[k].function.arguments = text;
            },
          });
        });
      }
    });
  } else {
    const input = request.input;
    if (typeof input === 'string') {
      slots.push({ text: input, role: 'embedding', isJson: false, write: (t, text) => void ((t as EmbeddingsRequest).input = text) });
    } else if (Array.isArray(input)) {
      input.forEach((item, i) => {
        if (typeof item === 'string') {
          slots.push({
            text: item,
            role: 'embedding',
            isJson: false,
            write: (t, text) => void (((t as EmbeddingsRequest).input as string[])[i] = text),
          });
        }
      });
    }
  }
  return slots;
}
