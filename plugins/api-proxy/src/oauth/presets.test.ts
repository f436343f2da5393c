import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PRESETS_DIR, loadPresets } from './presets';

describe('OAuth presets', () => {
  it('ships the seven presets as valid data, GitHub as documented', () => {
    const presets = loadPresets(DEFAULT_PRESETS_DIR);
    expect([...presets.keys()].sort()).toEqual(['discord', 'github', 'gitlab', 'google', 'microsoft-entra', 'notion', 'slack']);
    expect(presets.get('github')).toMatchObject({
      strategy: 'github',
      authorizeUrl: 'https://github.com/login/oauth/authorize',
      tokenUrl: 'https://github.com/login/oauth/access_token',
      defaultScopes: ['read:user', 'repo'],
    });
    expect(presets.get('notion')?.tokenAuthMethod).toBe('client_secret_basic');
  });

  it('refuses an invalid preset file and lets config presets override files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'presets-'));
    try {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ name: 'bad', strategy: 'saml' }));
      expect(() => loadPresets(dir)).toThrow(/bad\.json is invalid/);
      rmSync(join(dir, 'bad.json'));
      const github = loadPresets(DEFAULT_PRESETS_DIR).get('github')!;
      const merged = loadPresets(dir, [{ ...github, pkce: false }]);
      expect(merged.get('github')?.pkce).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
