/**
 * Gemini thinking models attach an opaque `thoughtSignature` to function-call parts, and Gemini 3
 * refuses the next request (400 "Function call ... is missing a thought_signature") unless the
 * history sends each one back on its call. OpenAI clients have nowhere to keep it, except the one
 * field every client echoes faithfully: the tool call id. So the signature rides inside the id,
 * statelessly (any gateway instance can read it back, nothing is stored):
 *
 *   call_1__thought__b<signature as base64url>
 *
 * Ids stay within [A-Za-z0-9_-], so a conversation that later falls back to Anthropic or Bedrock
 * (whose tool ids must match that pattern) still works. The one-letter tag says how the signature
 * was written, so reading it back gives the exact bytes Google sent:
 *   r = raw (it had only id-safe characters), b = standard base64 rewritten as base64url,
 *   h = hex of anything else.
 */
const MARKER = '__thought__';

/**
 * Google's documented stand-in for a call that has no signature (a history written by another
 * model, or by a client that rebuilt it): it tells Gemini 3 to skip the check for that step.
 */
export const SKIP_SIGNATURE_VALIDATOR = 'skip_thought_signature_validator';

const ID_SAFE = /^[A-Za-z0-9_-]*$/;
const STANDARD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function encode(signature: string): string {
  if (ID_SAFE.test(signature)) return `r${signature}`;
  if (STANDARD_BASE64.test(signature) && signature.length % 4 === 0) return `b${signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
  return `h${Buffer.from(signature, 'utf8').toString('hex')}`;
}

function decode(tagged: string): string | null {
  const body = tagged.slice(1);
  switch (tagged[0]) {
    case 'r':
      return body;
    case 'b': {
      const standard = body.replace(/-/g, '+').replace(/_/g, '/');
      return standard + '='.repeat((4 - (standard.length % 4)) % 4);
    }
    case 'h':
      return /^(?:[0-9a-f]{2})*$/.test(body) ? Buffer.from(body, 'hex').toString('utf8') : null;
    default:
      return null;
  }
}

/** The id a client sees: the call's own id, plus the signature when Gemini sent one. */
export function withThoughtSignature(callId: string, signature: string | undefined): string {
  return signature ? `${callId}${MARKER}${encode(signature)}` : callId;
}

/** The signature carried by a tool call id, or null (an id from another provider, or a hand-made one). */
export function thoughtSignatureOf(callId: string): string | null {
  const at = callId.indexOf(MARKER);
  if (at < 0) return null;
  return decode(callId.slice(at + MARKER.length));
}

/**
 * Gemini 3 and later refuse function-call history without signatures; earlier models accept it
 * (and are not sent the skip value they were never documented to take). The moving `-latest`
 * aliases point at current models, so they count as Gemini 3.
 */
export function requiresThoughtSignatures(model: string): boolean {
  const name = model.replace(/^models\//, '');
  const major = /^gemini-(\d+)/.exec(name);
  if (major) return Number(major[1]) >= 3;
  return /^gemini-[a-z-]+-latest$/.test(name);
}
