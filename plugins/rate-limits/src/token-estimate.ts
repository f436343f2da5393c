import {
  createStateKey,
  type CanonicalChatRequest,
  type ChatMessage,
  type EmbeddingsRequest,
  type RequestContext,
} from '@portcullis/core';
import { O200kTokenCounter } from './tokenizer';

/**
 * Input token estimates with a real BPE tokenizer (o200k_base, GPT-4o's). Other vendors
 * tokenize differently; the estimate only sizes a reservation that is reconciled to the
 * provider's reported usage afterwards, so a few percent off is fine.
 */

/** OpenAI's chat framing: a few tokens per message plus the reply primer. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_REPLY_PRIMER = 3;
/** One high-detail 512px tile plus the base charge: a typical image, not a worst case. */
const TOKENS_PER_IMAGE = 765;
/** Audio and file parts cannot be tokenized as text; a flat reservation is reconciled later. */
const TOKENS_PER_OPAQUE_PART = 1000;
/** Used when the request sets no output limit and the policy has no default. */
export const FALLBACK_MAX_OUTPUT_TOKENS = 1024;

type ContentPart = Exclude<ChatMessage['content'], string | null | undefined>[number];

/** How text is tokenized: the real tokenizer, or a TokenCountCache's `count` in front of it. */
export type CountTokens = (text: string) => number;

/**
 * The default when a caller passes no counter: a fresh o200k counter per top-level call (default
 * parameters are evaluated per call), so no tokenizer state is shared at module level. Cheap:
 * the rank table is shared and built once; plugins pass their TokenCountCache's `count`.
 */
const freshCounter = (): CountTokens => new O200kTokenCounter().count;

function partTokens(part: ContentPart, countTokens: CountTokens): number {
  switch (part.type) {
    case 'text':
      return countTokens(part.text);
    case 'image_url':
      return TOKENS_PER_IMAGE;
    default:
      return TOKENS_PER_OPAQUE_PART;
  }
}

function messageTokens(message: ChatMessage, countTokens: CountTokens): number {
  let tokens = TOKENS_PER_MESSAGE;
  const { content } = message;
  if (typeof content === 'string') tokens += countTokens(content);
  else if (Array.isArray(content)) for (const part of content) tokens += partTokens(part, countTokens);
  if ('name' in message && message.name) tokens += countTokens(message.name) + 1;
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) tokens += countTokens(call.function.name) + countTokens(call.function.arguments);
    if (message.refusal) tokens += countTokens(message.refusal);
  }
  return tokens;
}

export function countChatInputTokens(request: CanonicalChatRequest, countTokens: CountTokens = freshCounter()): number {
  let tokens = TOKENS_REPLY_PRIMER;
  for (const message of request.messages) tokens += messageTokens(message, countTokens);
  // Tool and schema definitions are sent to the model as (hidden) prompt text.
  if (request.tools?.length) tokens += countTokens(JSON.stringify(request.tools));
  if (request.response_format?.type === 'json_schema') tokens += countTokens(JSON.stringify(request.response_format.json_schema));
  return tokens;
}

export function countEmbeddingsInputTokens(request: EmbeddingsRequest, countTokens: CountTokens = freshCounter()): number {
  const { input } = request;
  if (typeof input === 'string') return countTokens(input);
  let tokens = 0;
  for (const item of input) {
    if (typeof item === 'string') tokens += countTokens(item);
    else if (typeof item === 'number') tokens += 1; // pre-tokenized: one id per token
    else tokens += item.length;
  }
  return tokens;
}

const isChatRequest = (request: CanonicalChatRequest | EmbeddingsRequest): request is CanonicalChatRequest =>
  Array.isArray((request as CanonicalChatRequest).messages);

interface CachedCount {
  request: object;
  tokens: number;
}
/**
 * Shared by name with every plugin that estimates input tokens (rate limits, budgets), so a
 * large prompt is tokenized once per request. Tied to the request object: a rewrite by a later
 * hook yields a new object and a fresh count.
 */
const INPUT_TOKENS_KEY = createStateKey<CachedCount>('portcullis:input-token-count');

/**
 * Input tokens of the LLM request in ctx (0 when the request is not an LLM call). Pass a
 * TokenCountCache's `count` to reuse counts of text seen on earlier requests.
 */
export function inputTokensOf(ctx: RequestContext, countTokens: CountTokens = freshCounter()): number {
  const request = ctx.llm?.request;
  if (!request) return 0;
  const cached = ctx.state.get(INPUT_TOKENS_KEY);
  if (cached && cached.request === request) return cached.tokens;
  const tokens = isChatRequest(request) ? countChatInputTokens(request, countTokens) : countEmbeddingsInputTokens(request, countTokens);
  ctx.state.set(INPUT_TOKENS_KEY, { request, tokens });
  return tokens;
}

/** Output tokens the request may produce: its own limit, else the default, times `n` choices. */
export function maxOutputTokensOf(ctx: RequestContext, defaultMaxTokens: number | undefined): number {
  const request = ctx.llm?.request;
  if (!request || !isChatRequest(request)) return 0;
  const perChoice = request.max_completion_tokens ?? request.max_tokens ?? defaultMaxTokens ?? FALLBACK_MAX_OUTPUT_TOKENS;
  const choices = request.n && request.n > 0 ? request.n : 1;
  return perChoice * choices;
}
