/** Small guards for reading upstream JSON that arrives as `unknown`. */
import type { AnthropicUsage } from './wire-types';

export type UnknownRecord = { [key: string]: unknown };

export const isRecord = (value: unknown): value is UnknownRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const stringField = (obj: UnknownRecord, key: string): string | undefined =>
  typeof obj[key] === 'string' ? (obj[key] as string) : undefined;

export const numberField = (obj: UnknownRecord, key: string): number | undefined =>
  typeof obj[key] === 'number' && Number.isFinite(obj[key]) ? (obj[key] as number) : undefined;

/** Reads the token counters Anthropic sends (any may be missing or null). */
export function readUsage(value: unknown): AnthropicUsage | undefined {
  if (!isRecord(value)) return undefined;
  return {
    input_tokens: numberField(value, 'input_tokens') ?? null,
    output_tokens: numberField(value, 'output_tokens') ?? null,
    cache_creation_input_tokens: numberField(value, 'cache_creation_input_tokens') ?? null,
    cache_read_input_tokens: numberField(value, 'cache_read_input_tokens') ?? null,
  };
}
