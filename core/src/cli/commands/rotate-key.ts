import type { CliContext } from '../context';

/**
 * Re-encrypts every stored secret under the current APP_KEY. Run with the new key in APP_KEY
 * and the old one in APP_KEY_PREVIOUS; afterwards APP_KEY_PREVIOUS can be dropped.
 */
export async function rotateKey(ctx: CliContext): Promise<string> {
  const { secrets, store } = ctx;
  let rotated = 0;
  for (const c of await store.credentials.find()) {
    if (!secrets.needsRotation(c.secretEnc)) continue;
    await store.credentials.update(c.id, { secretEnc: secrets.encrypt(secrets.decrypt(c.secretEnc)) });
    rotated += 1;
  }
  for (const o of await store.oauthConnections.find()) {
    const patch: Record<string, string> = {};
    for (const field of ['clientSecretEnc', 'accessTokenEnc', 'refreshTokenEnc'] as const) {
      const value = o[field];
      if (value && secrets.needsRotation(value)) patch[field] = secrets.encrypt(secrets.decrypt(value));
    }
    if (Object.keys(patch).length > 0) {
      await store.oauthConnections.update(o.id, patch);
      rotated += 1;
    }
  }
  const pepper = await store.settings.get('token_pepper');
  if (pepper && secrets.needsRotation(pepper)) {
    await store.settings.set('token_pepper', secrets.encrypt(secrets.decrypt(pepper)));
    rotated += 1;
  }
  await store.audit.append({ event: 'app_key.rotated', severity: 'critical', actor: { type: 'cli' }, metadata: { records: rotated, keyId: secrets.keyId } });
  await ctx.announce('app_key.rotated');
  return `re-encrypted ${rotated} record(s) under key ${secrets.keyId}`;
}
