import { GatewayError, type CanonicalChatRequest } from '@portcullis/core';

/**
 * Checks the parts of a chat request the gateway relies on, with OpenAI's error shape and the
 * offending `param`. Hand-written rather than schema-driven: it runs on every request, and
 * anything it does not check is passed to the provider, which has the final word.
 */
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const CONTENT_PART_TYPES = new Set(['text', 'image_url', 'input_audio', 'file']);

const invalid = (param: string, message: string): GatewayError => new GatewayError('GW_ERR_REQUEST_INVALID', { param, message });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkNumber(body: Record<string, unknown>, name: string, min: number, max: number, integer = false): void {
  const v = body[name];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || Number.isNaN(v) || (integer && !Number.isInteger(v)))
    throw invalid(name, `Invalid type for '${name}': expected ${integer ? 'an integer' : 'a number'}.`);
  if (v < min || v > max) throw invalid(name, `Invalid value for '${name}': must be between ${min} and ${max}, got ${v}.`);
}

function checkContent(content: unknown, param: string, role: string): void {
  if (content === null || content === undefined) {
    if (role === 'assistant') return;
    throw invalid(param, `Missing required parameter: '${param}'.`);
  }
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalid(param, `Invalid type for '${param}': expected a string or an array of content parts.`);
  content.forEach((part, i) => {
    const p = `${param}[${i}]`;
    if (!isObject(part) || typeof part['type'] !== 'string' || !CONTENT_PART_TYPES.has(part['type']))
      throw invalid(`${p}.type`, `Invalid content part at '${p}': type must be one of text, image_url, input_audio, file.`);
    if (part['type'] === 'text' && typeof part['text'] !== 'string') throw invalid(`${p}.text`, `Missing required parameter: '${p}.text'.`);
    if (part['type'] === 'image_url' && (!isObject(part['image_url']) || typeof part['image_url']['url'] !== 'string'))
      throw invalid(`${p}.image_url.url`, `Missing required parameter: '${p}.image_url.url'.`);
    if (part['type'] !== 'text' && role !== 'user') throw invalid(`${p}.type`, `Only user messages may contain ${String(part['type'])} parts.`);
  });
}

export function validateChatRequest(body: unknown): CanonicalChatRequest {
  if (!isObject(body)) throw new GatewayError('GW_ERR_REQUEST_INVALID', { message: 'The request body must be a JSON object.' });
  if (body['model'] === undefined || body['model'] === null || body['model'] === '')
    throw new GatewayError('GW_ERR_MODEL_MISSING', { param: 'model' });
  if (typeof body['model'] !== 'string') throw invalid('model', "Invalid type for 'model': expected a string.");
  const messages = body['messages'];
  if (!Array.isArray(messages)) throw invalid('messages', "Missing required parameter: 'messages'.");
  if (messages.length === 0) throw invalid('messages', "Invalid 'messages': empty array. Expected an array with minimum length 1.");
  messages.forEach((m, i) => {
    const p = `messages[${i}]`;
    if (!isObject(m)) throw invalid(p, `Invalid type for '${p}': expected an object.`);
    const role = m['role'];
    if (typeof role !== 'string' || !ROLES.has(role))
      throw invalid(`${p}.role`, `Invalid value for '${p}.role': expected one of system, developer, user, assistant, tool.`);
    const hasToolCalls = role === 'assistant' && Array.isArray(m['tool_calls']) && m['tool_calls'].length > 0;
    if (!hasToolCalls) checkContent(m['content'], `${p}.content`, role);
    if (role === 'tool' && typeof m['tool_call_id'] !== 'string') throw invalid(`${p}.tool_call_id`, `Missing required parameter: '${p}.tool_call_id'.`);
    if (hasToolCalls)
      (m['tool_calls'] as unknown[]).forEach((tc, j) => {
        const q = `${p}.tool_calls[${j}]`;
        if (!isObject(tc) || typeof tc['id'] !== 'string' || !isObject(tc['function']) || typeof tc['function']['name'] !== 'string' || typeof tc['function']['arguments'] !== 'string')
          throw invalid(q, `Invalid '${q}': expected {id, type: "function", function: {name, arguments}}.`);
      });
  });
  if (body['stream'] !== undefined && body['stream'] !== null && typeof body['stream'] !== 'boolean') throw invalid('stream', "Invalid type for 'stream': expected a boolean.");
  checkNumber(body, 'temperature', 0, 2);
  checkNumber(body, 'top_p', 0, 1);
  checkNumber(body, 'n', 1, 128, true);
  checkNumber(body, 'max_tokens', 1, 10_000_000, true);
  checkNumber(body, 'max_completion_tokens', 1, 10_000_000, true);
  checkNumber(body, 'presence_penalty', -2, 2);
  checkNumber(body, 'frequency_penalty', -2, 2);
  checkNumber(body, 'top_logprobs', 0, 20, true);
  checkNumber(body, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
  const stop = body['stop'];
  if (stop !== undefined && stop !== null && typeof stop !== 'string' && !(Array.isArray(stop) && stop.length <= 4 && stop.every((s) => typeof s === 'string')))
    throw invalid('stop', "Invalid 'stop': expected a string or an array of up to 4 strings.");
  const tools = body['tools'];
  if (tools !== undefined) {
    if (!Array.isArray(tools)) throw invalid('tools', "Invalid type for 'tools': expected an array.");
    tools.forEach((t, i) => {
      if (!isObject(t) || t['type'] !== 'function' || !isObject(t['function']) || typeof t['function']['name'] !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(t['function']['name']))
        throw invalid(`tools[${i}].function.name`, `Invalid 'tools[${i}]': expected {type: "function", function: {name (a-z, A-Z, 0-9, _ and -, at most 64), parameters}}.`);
    });
  }
  const toolChoice = body['tool_choice'];
  if (toolChoice !== undefined && !['none', 'auto', 'required'].includes(toolChoice as string)) {
    if (!isObject(toolChoice) || toolChoice['type'] !== 'function' || !isObject(toolChoice['function']) || typeof toolChoice['function']['name'] !== 'string')
      throw invalid('tool_choice', "Invalid 'tool_choice': expected none, auto, required or {type: \"function\", function: {name}}.");
  }
  const rf = body['response_format'];
  if (rf !== undefined && rf !== null) {
    if (!isObject(rf) || !['text', 'json_object', 'json_schema'].includes(rf['type'] as string))
      throw invalid('response_format.type', "Invalid 'response_format.type': expected text, json_object or json_schema.");
    if (rf['type'] === 'json_schema' && (!isObject(rf['json_schema']) || typeof rf['json_schema']['name'] !== 'string'))
      throw invalid('response_format.json_schema', "Missing required parameter: 'response_format.json_schema.name'.");
  }
  const so = body['stream_options'];
  if (so !== undefined && so !== null) {
    if (!isObject(so)) throw invalid('stream_options', "Invalid type for 'stream_options': expected an object.");
    if (body['stream'] !== true) throw invalid('stream_options', 'The stream_options parameter is only allowed when stream is enabled.');
  }
  return body as unknown as CanonicalChatRequest;
}
