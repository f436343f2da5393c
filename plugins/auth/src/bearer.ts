import type { IncomingHttpHeaders } from 'node:http';

/**
 * The caller's key. OpenAI clients send `Authorization: Bearer`; Azure-style clients send
 * `api-key`, Anthropic-style clients `x-api-key`. All three are accepted so any SDK works.
 */
export function extractApiKey(headers: IncomingHttpHeaders): string | null {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return match ? match[1]! : null;
  }
  for (const name of ['api-key', 'x-api-key'] as const) {
    const value = headers[name];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}
