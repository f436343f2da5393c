import type { CanonicalChatRequest } from '../spec/chat';
import type { AliasRecord } from '../spec/store';

/** Alias presets fill in what the client left out; anything the client sent wins. */
export function applyAliasPresets(req: CanonicalChatRequest, alias: AliasRecord | null): CanonicalChatRequest {
  if (!alias) return req;
  const p = alias.presets;
  const out: CanonicalChatRequest = { ...req };
  if (p.temperature !== undefined && out.temperature == null) out.temperature = p.temperature;
  if (p.top_p !== undefined && out.top_p == null) out.top_p = p.top_p;
  if (p.max_tokens !== undefined && out.max_tokens == null && out.max_completion_tokens == null) out.max_tokens = p.max_tokens;
  if (p.system && !req.messages.some((m) => m.role === 'system' || m.role === 'developer'))
    out.messages = [{ role: 'system', content: p.system }, ...req.messages];
  return out;
}
