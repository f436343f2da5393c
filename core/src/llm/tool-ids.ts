import { createHash } from 'node:crypto';

const ID_SAFE = /^[A-Za-z0-9_-]+$/;

/**
 * A tool call id an upstream with strict id rules will take. Anthropic and Bedrock refuse ids
 * outside `[A-Za-z0-9_-]` (Bedrock also beyond 64 characters), yet a conversation can carry ids
 * from anywhere: another provider, a framework that makes its own, a Gemini 3 id with its thought
 * signature inside. Ids that already fit pass unchanged; any other becomes a short digest of
 * itself, so the same id always maps the same way and a tool_use and its tool_result still pair
 * up. The mapping only shapes what is sent upstream; clients never see it.
 */
export function upstreamSafeToolId(id: string, maxLength = 64): string {
  if (id.length > 0 && id.length <= maxLength && ID_SAFE.test(id)) return id;
  const digest = createHash('sha256').update(id).digest('base64url');
  // 16+ characters of digest keep collisions out of reach for any sensible limit.
  return `tool_${digest}`.slice(0, maxLength);
}
