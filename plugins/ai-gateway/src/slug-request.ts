import { GatewayError } from '@portcullis/core';

/** The body of `POST /api/:project/:slug`. */
export interface SlugRequest {
  /** Any JSON value; `{{input}}` in the template. Objects and arrays render as JSON. */
  input: unknown;
  variables: Record<string, unknown>;
  stream: boolean;
}

const KNOWN_KEYS = new Set(['input', 'variables', 'stream']);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (param: string, message: string): GatewayError => new GatewayError('GW_ERR_REQUEST_INVALID', { param, message });

/** Shape checks only; the endpoint's inputSchema and template decide what else is required. */
export function parseSlugRequest(body: unknown): SlugRequest {
  if (!isObject(body)) throw new GatewayError('GW_ERR_REQUEST_INVALID', { message: 'The request body must be a JSON object: {"input": ..., "variables": {...}, "stream": false}.' });
  // Unknown keys are refused so a misspelt "variabels" never silently renders an empty prompt.
  for (const key of Object.keys(body)) if (!KNOWN_KEYS.has(key)) throw invalid(key, `Unknown parameter: '${key}'. Expected input, variables and stream.`);
  const variables = body['variables'] ?? {};
  if (!isObject(variables)) throw invalid('variables', "Invalid type for 'variables': expected an object.");
  const stream = body['stream'] ?? false;
  if (typeof stream !== 'boolean') throw invalid('stream', "Invalid type for 'stream': expected a boolean.");
  return { input: body['input'], variables, stream };
}
