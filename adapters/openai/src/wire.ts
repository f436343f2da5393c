/**
 * OpenAI's chat-completions wire shapes as this adapter reads them. Upstream bodies arrive as
 * `unknown`; these narrowing helpers turn them into typed views without trusting the vendor
 * (OpenAI-compatible vendors differ in which fields they send and which they leave null).
 */
export type WireRecord = { [key: string]: unknown };

export const isRecord = (value: unknown): value is WireRecord =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * Message content as text. OpenAI sends a string or null; a few vendors (Mistral's reasoning
 * models) send an array of typed chunks, of which only the `text` ones are the answer.
 */
export function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  const texts = content
    .filter(isRecord)
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text as string);
  return texts.length > 0 ? texts.join('') : null;
}

/**
 * Tool-call arguments as the JSON string the canonical shape promises. Some local servers
 * return the parsed object instead of the string; re-serialising it keeps clients working.
 */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}
