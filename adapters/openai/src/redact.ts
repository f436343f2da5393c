/**
 * Removes anything that looks like a credential from text that came back from an upstream.
 * Providers echo keys in auth errors (`Incorrect API key provided: sk-proj-...`), proxies
 * echo Authorization headers; none of it may reach a client or a log line.
 */
export const REDACTED = '[REDACTED]';

interface RedactionRule {
  pattern: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const RULES: readonly RedactionRule[] = [
  // `Bearer <token>` anywhere (echoed request headers).
  { pattern: /\bBearer\s+[^\s"',;]+/gi, replace: () => `Bearer ${REDACTED}` },
  // Whatever follows "key provided:" / "api key:" / "api-key=" is a key, whatever its shape.
  {
    pattern: /\b(api[-_ ]?key(?:\s+provided)?\s*[:=]\s*)[^\s"',;]+/gi,
    replace: (_match, prefix) => `${prefix ?? ''}${REDACTED}`,
  },
  // Prefixed keys: OpenAI sk-/sk-proj-/rk-, Groq gsk_, xAI xai-, and masked forms (sk-ab****cd).
  { pattern: /\b(?:sk|rk|pk|gsk|xai|sess)[-_][A-Za-z0-9_\-*.]{4,}/gi, replace: () => REDACTED },
  // Long opaque tokens with letters and digits (Together's hex keys, Mistral's 32-char keys).
  { pattern: /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\b/g, replace: () => REDACTED },
];

export function redactSecrets(text: string): string {
  return RULES.reduce((out, rule) => out.replace(rule.pattern, rule.replace), text);
}
