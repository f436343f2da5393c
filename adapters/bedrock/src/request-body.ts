import {
  GatewayError,
  upstreamSafeToolId,
  type CanonicalChatRequest,
  type ChatMessage,
  type FunctionTool,
  type ToolChoice,
  type UserContentPart,
  type Warning,
} from '@portcullis/core';
import type {
  ConverseContentBlock,
  ConverseImageFormat,
  ConverseMessage,
  ConverseRequestBody,
  ConverseToolChoice,
  ConverseToolSpec,
} from './converse-types';
import { documentBlock, DocumentNamer } from './document-block';

/** Canonical (OpenAI chat) request -> Converse JSON body, plus what could not be honoured. */
export interface ConverseBodyResult {
  body: ConverseRequestBody;
  warnings: Warning[];
}

const IMAGE_FORMATS: Record<string, ConverseImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

const textOf = (content: string | { type: 'text'; text: string }[] | null | undefined): string =>
  typeof content === 'string' ? content : (content ?? []).map((p) => p.text).join('');

function imageBlock(url: string, param: string): ConverseContentBlock {
  // Bedrock reads images inline or from S3; it never fetches an arbitrary URL for us.
  if (url.startsWith('s3://')) {
    const ext = /\.(png|jpe?g|gif|webp)$/i.exec(url)?.[1]?.toLowerCase();
    if (!ext) throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', { param, message: 'S3 image URLs must end in .png, .jpeg, .jpg, .gif or .webp.' });
    return { image: { format: ext === 'jpg' ? 'jpeg' : (ext as ConverseImageFormat), source: { s3Location: { uri: url } } } };
  }
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (!match) {
    throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', {
      param,
      message: 'Bedrock accepts images only as base64 data: URLs (or s3:// URLs); http(s) image URLs are not supported.',
    });
  }
  const format = IMAGE_FORMATS[match[1]!.toLowerCase()];
  if (!format) throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', { param, message: `Bedrock does not accept images of type ${match[1]}.` });
  return { image: { format, source: { bytes: match[2]! } } };
}

function userBlocks(content: string | UserContentPart[], param: string, documentNames: DocumentNamer): ConverseContentBlock[] {
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.flatMap((part, j): ConverseContentBlock[] => {
    switch (part.type) {
      case 'text':
        return part.text === '' ? [] : [{ text: part.text }];
      case 'image_url':
        return [imageBlock(part.image_url.url, `${param}[${j}].image_url.url`)];
      case 'file':
        return [documentBlock(part.file, `${param}[${j}].file`, documentNames)];
      default:
        throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', { param: `${param}[${j}]`, message: `Bedrock Converse does not accept ${part.type} content parts.` });
    }
  });
}

function parseToolArguments(args: string, param: string): unknown {
  if (args.trim() === '') return {};
  try {
    return JSON.parse(args) as unknown;
  } catch {
    throw new GatewayError('GW_ERR_REQUEST_INVALID', { param, message: 'Tool call arguments must be valid JSON.' });
  }
}

/** A tool result that is a JSON object travels as `json` (models see structure); anything else as text. */
function toolResultContent(text: string): ({ text: string } | { json: unknown })[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return [{ json: parsed }];
  } catch {
    // not JSON: plain text below
  }
  return [{ text }];
}

interface Conversation {
  system: { text: string }[];
  messages: ConverseMessage[];
  usesToolBlocks: boolean;
}

function convertMessages(messages: ChatMessage[]): Conversation {
  const system: { text: string }[] = [];
  const turns: ConverseMessage[] = [];
  let usesToolBlocks = false;
  // Document names must be unique across the whole replayed conversation.
  const documentNames = new DocumentNamer();
  const push = (role: 'user' | 'assistant', content: ConverseContentBlock[]): void => {
    if (content.length === 0) return;
    // Converse requires alternating roles: consecutive same-role turns become one.
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...content);
    else turns.push({ role, content });
  };
  messages.forEach((m, i) => {
    const param = `messages[${i}]`;
    switch (m.role) {
      case 'system':
      case 'developer': {
        const text = textOf(m.content);
        if (text !== '') system.push({ text });
        return;
      }
      case 'user':
        return push('user', userBlocks(m.content, `${param}.content`, documentNames));
      case 'assistant': {
        const blocks: ConverseContentBlock[] = [];
        const text = textOf(m.content);
        if (text !== '') blocks.push({ text });
        (m.tool_calls ?? []).forEach((call, j) => {
          usesToolBlocks = true;
          blocks.push({
            toolUse: {
              toolUseId: upstreamSafeToolId(call.id),
              name: call.function.name,
              input: parseToolArguments(call.function.arguments, `${param}.tool_calls[${j}].function.arguments`),
            },
          });
        });
        return push('assistant', blocks);
      }
      case 'tool':
        usesToolBlocks = true;
        return push('user', [{ toolResult: { toolUseId: upstreamSafeToolId(m.tool_call_id), content: toolResultContent(textOf(m.content)) } }]);
    }
  });
  return { system, messages: turns, usesToolBlocks };
}

const toolSpec = (tool: FunctionTool): ConverseToolSpec => ({
  toolSpec: {
    name: tool.function.name,
    ...(tool.function.description ? { description: tool.function.description } : {}),
    inputSchema: { json: tool.function.parameters ?? { type: 'object', properties: {} } },
  },
});

function toolChoice(choice: Exclude<ToolChoice, 'none'> | undefined): ConverseToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { auto: {} };
  if (choice === 'required') return { any: {} };
  return { tool: { name: choice.function.name } };
}

/**
 * json_schema maps to Converse's native structured output (`outputConfig.textFormat`), which
 * constrains the answer. json_object ("any JSON object") has no native form and is emulated
 * with a system instruction, flagged by a warning because nothing enforces it.
 */
function jsonInstruction(format: CanonicalChatRequest['response_format']): string | undefined {
  if (format?.type !== 'json_object') return undefined;
  return 'Respond with only a single valid JSON object. Do not wrap it in Markdown or add any other text.';
}

function outputConfig(format: CanonicalChatRequest['response_format']): ConverseRequestBody['outputConfig'] {
  if (format?.type !== 'json_schema') return undefined;
  const { name, description, schema } = format.json_schema;
  return {
    textFormat: {
      type: 'json_schema',
      structure: { jsonSchema: { schema: JSON.stringify(schema ?? { type: 'object' }), name, ...(description ? { description } : {}) } },
    },
  };
}

/** Settings Converse has no field for: named so the caller sees them in warnings. */
const UNSUPPORTED_SETTINGS = [
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'reasoning_effort',
  'service_tier',
  'store',
  'user',
  'metadata',
] as const;

const isSet = (value: unknown): boolean =>
  value != null && value !== false && !(typeof value === 'object' && Object.keys(value).length === 0);

export function buildConverseBody(req: CanonicalChatRequest): ConverseBodyResult {
  const warnings: Warning[] = [];
  if (req.n != null && req.n > 1) {
    throw new GatewayError('GW_ERR_FEATURE_UNSUPPORTED', { param: 'n', message: 'Bedrock Converse returns one choice per request; n must be 1.' });
  }
  for (const setting of UNSUPPORTED_SETTINGS) {
    if (isSet(req[setting])) {
      warnings.push({ type: 'unsupported-setting', setting, message: `Bedrock Converse has no equivalent of ${setting}; it was ignored.` });
    }
  }

  const conversation = convertMessages(req.messages);
  const body: ConverseRequestBody = { messages: conversation.messages };

  const instruction = jsonInstruction(req.response_format);
  if (instruction) {
    conversation.system.push({ text: instruction });
    warnings.push({
      type: 'unsupported-setting',
      setting: 'response_format',
      message: 'Bedrock Converse has no json_object mode; it is emulated with a system instruction and the output is not validated. Use json_schema for enforced JSON.',
    });
  }
  if (conversation.system.length > 0) body.system = conversation.system;
  const structured = outputConfig(req.response_format);
  if (structured) body.outputConfig = structured;

  const inference: NonNullable<ConverseRequestBody['inferenceConfig']> = {};
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (maxTokens != null) inference.maxTokens = maxTokens;
  if (req.temperature != null) inference.temperature = req.temperature;
  if (req.top_p != null) inference.topP = req.top_p;
  if (req.stop != null) {
    const stops = typeof req.stop === 'string' ? [req.stop] : req.stop;
    if (stops.length > 0) inference.stopSequences = stops;
  }
  if (Object.keys(inference).length > 0) body.inferenceConfig = inference;

  const tools = req.tools ?? [];
  if (tools.length > 0) {
    if (req.tool_choice === 'none' && !conversation.usesToolBlocks) {
      // Converse has no "none": not offering the tools is the faithful equivalent.
    } else {
      if (req.tool_choice === 'none') {
        // Converse rejects toolUse/toolResult history without a toolConfig, so the tools stay.
        warnings.push({ type: 'unsupported-setting', setting: 'tool_choice', message: 'Bedrock Converse cannot forbid tool use while the history holds tool calls; tool_choice "none" was treated as "auto".' });
      }
      const choice = toolChoice(req.tool_choice === 'none' ? undefined : req.tool_choice);
      body.toolConfig = { tools: tools.map(toolSpec), ...(choice ? { toolChoice: choice } : {}) };
    }
    if (req.parallel_tool_calls === false) {
      warnings.push({ type: 'unsupported-setting', setting: 'parallel_tool_calls', message: 'Bedrock Converse cannot disable parallel tool calls.' });
    }
  } else if (req.tool_choice !== undefined && req.tool_choice !== 'none' && req.tool_choice !== 'auto') {
    throw new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'tool_choice', message: 'tool_choice requires tools.' });
  }
  return { body, warnings };
}
