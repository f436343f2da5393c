import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/** One OAuth provider preset (templates/oauth-presets/<name>.json). */
export const oauthPresetSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    displayName: z.string().min(1),
    strategy: z.enum(['github', 'oauth2']),
    authorizeUrl: z.string().url(),
    tokenUrl: z.string().url(),
    defaultScopes: z.array(z.string()),
    scopeSeparator: z.string().min(1).default(' '),
    pkce: z.boolean(),
    tokenAuthMethod: z.enum(['client_secret_post', 'client_secret_basic']),
    authorizeParams: z.record(z.string(), z.string()).default({}),
    apiBaseUrl: z.string().url().optional(),
    docs: z.string().url().optional(),
    notes: z.string().optional(),
  })
  .strict();
export type OAuthPreset = z.infer<typeof oauthPresetSchema>;

/**
 * What a connection gets when its preset is unknown (a custom provider): plain OAuth 2 with the
 * client secret in the form body and no PKCE, the lowest common denominator of RFC 6749.
 */
export const GENERIC_OAUTH2_PRESET: OAuthPreset = {
  name: 'oauth2',
  displayName: 'Generic OAuth 2.0',
  strategy: 'oauth2',
  authorizeUrl: 'https://example.invalid/authorize',
  tokenUrl: 'https://example.invalid/token',
  defaultScopes: [],
  scopeSeparator: ' ',
  pkce: false,
  tokenAuthMethod: 'client_secret_post',
  authorizeParams: {},
};

/** templates/oauth-presets from this package's src/ or dist/ inside the monorepo. */
export const DEFAULT_PRESETS_DIR = resolve(__dirname, '../../../../templates/oauth-presets');

/** Reads every *.json preset in `dir` (invalid files stop boot), then adds/overrides with `extra`. */
export function loadPresets(dir: string, extra: readonly OAuthPreset[] = []): Map<string, OAuthPreset> {
  const presets = new Map<string, OAuthPreset>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const parsed = oauthPresetSchema.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) throw new Error(`OAuth preset ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    presets.set(parsed.data.name, parsed.data);
  }
  for (const preset of extra) presets.set(preset.name, preset);
  return presets;
}
