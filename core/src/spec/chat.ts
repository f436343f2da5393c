/**
 * Canonical chat types. The canonical request IS OpenAI's chat-completions request shape
 * (the wire format every client already speaks), so the OpenAI-compatible route does no
 * translation on the way in. The canonical response is adapter-neutral: finish reasons carry
 * both the unified value and the provider's raw value, and usage is normalised.
 */
export const CHAT_SPEC_VERSION = 'v1' as const;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
/** A JSON Schema document; kept open because providers accept different subsets. */
export type JsonSchema = { [key: string]: unknown };

export interface TextContentPart {
  type: 'text';
  text: string;
}
export interface ImageContentPart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}
export interface InputAudioContentPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' };
}
export interface FileContentPart {
  type: 'file';
  file: { file_data?: string; file_id?: string; filename?: string };
}
export type UserContentPart = TextContentPart | ImageContentPart | InputAudioContentPart | FileContentPart;

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface SystemMessage {
  role: 'system' | 'developer';
  content: string | TextContentPart[];
  name?: string;
}
export interface UserMessage {
  role: 'user';
  content: string | UserContentPart[];
  name?: string;
}
export interface AssistantMessage {
  role: 'assistant';
  content?: string | TextContentPart[] | null;
  tool_calls?: ToolCall[];
  refusal?: string | null;
  name?: string;
}
export interface ToolMessage {
  role: 'tool';
  content: string | TextContentPart[];
  tool_call_id: string;
}
export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: JsonSchema; strict?: boolean | null };
}
export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; description?: string; schema?: JsonSchema; strict?: boolean | null };
    };

export interface CanonicalChatRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  temperature?: number | null;
  top_p?: number | null;
  /** Deprecated by OpenAI in favour of max_completion_tokens; both are accepted. */
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  user?: string;
  tools?: FunctionTool[];
  tool_choice?: ToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: ResponseFormat;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high' | null;
  metadata?: Record<string, string> | null;
  store?: boolean | null;
  service_tier?: string | null;
}

export type UnifiedFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | 'other';

/** A lossy mapping keeps the provider's raw value beside the unified one. */
export interface FinishReason {
  unified: UnifiedFinishReason;
  raw: string | null;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Input tokens served from the provider's prompt cache (counted inside inputTokens). */
  cachedInputTokens?: number;
  /** Input tokens written to the provider's prompt cache (Anthropic), counted inside inputTokens. */
  cacheWriteTokens?: number;
  /** Reasoning tokens (counted inside outputTokens). */
  reasoningTokens?: number;
}

export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
  top_logprobs: { token: string; logprob: number; bytes: number[] | null }[];
}
export interface ChoiceLogprobs {
  content: TokenLogprob[] | null;
  refusal?: TokenLogprob[] | null;
}

export interface CanonicalChoice {
  index: number;
  message: {
    role: 'assistant';
    content: string | null;
    tool_calls?: ToolCall[];
    refusal?: string | null;
  };
  finishReason: FinishReason;
  logprobs?: ChoiceLogprobs | null;
}

/** Something the adapter could not honour exactly; surfaced in logs and a response header. */
export interface Warning {
  type: 'unsupported-setting' | 'other';
  setting?: string;
  message: string;
}

export interface CanonicalChatResponse {
  /** Upstream id when the provider gives one. */
  id: string;
  created: number;
  /** Model as reported by the upstream (falls back to the target model). */
  model: string;
  choices: CanonicalChoice[];
  usage?: Usage;
  systemFingerprint?: string | null;
  serviceTier?: string | null;
  warnings?: Warning[];
}

export interface EmbeddingsRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
}
export interface EmbeddingsResponse {
  model: string;
  /** Always floats internally; the route encodes base64 when the client asked for it. */
  data: { index: number; embedding: number[] }[];
  usage: { inputTokens: number; totalTokens: number };
}
