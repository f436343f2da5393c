import { request } from 'undici';
import { Redis } from 'ioredis';
import type { CliContext } from '../context';

const DEFAULT_ORIGINS: Record<string, string> = {
  openai: 'https://api.openai.com',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
  groq: 'https://api.groq.com',
  together: 'https://api.together.xyz',
  mistral: 'https://api.mistral.ai',
  xai: 'https://api.x.ai',
  deepinfra: 'https://api.deepinfra.com',
};

type Check = { ok: boolean; what: string; detail: string };

/** Checks what a gateway needs and says what is wrong in plain words. */
export async function doctor(ctx: CliContext, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; report: string }> {
  const checks: Check[] = [];
  checks.push(
    env['APP_KEY']
      ? { ok: true, what: 'APP_KEY', detail: `set (key id ${ctx.secrets.keyId})` }
      : { ok: ctx.config.environment !== 'production', what: 'APP_KEY', detail: 'not set: using a development key from the data directory. Production needs APP_KEY.' },
  );
  try {
    await ctx.store.ping();
    checks.push({ ok: true, what: 'store', detail: `${ctx.store.driver} reachable` });
  } catch (err) {
    checks.push({ ok: false, what: 'store', detail: `cannot reach the ${ctx.config.store.driver} store: ${(err as Error).message}` });
  }
  if (ctx.config.redis) {
    const redis = new Redis(ctx.config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: false });
    try {
      await redis.connect();
      await redis.ping();
      checks.push({ ok: true, what: 'redis', detail: 'reachable' });
    } catch (err) {
      checks.push({ ok: false, what: 'redis', detail: `cannot reach Redis at the configured URL: ${(err as Error).message}` });
    } finally {
      redis.disconnect();
    }
  }
  for (const c of await ctx.store.credentials.find()) {
    try {
      ctx.secrets.decrypt(c.secretEnc);
    } catch {
      checks.push({ ok: false, what: `credential ${c.name}`, detail: 'cannot be decrypted: APP_KEY is not the key it was saved under (set APP_KEY_PREVIOUS to the old key, then run rotate-key)' });
      continue;
    }
    const origin = c.baseUrl ? new URL(c.baseUrl).origin : DEFAULT_ORIGINS[c.provider];
    if (!origin) {
      checks.push({ ok: true, what: `credential ${c.name}`, detail: 'decrypts; no URL to probe' });
      continue;
    }
    try {
      const res = await request(origin, { method: 'GET', headersTimeout: 3000, bodyTimeout: 3000 });
      await res.body.dump();
      checks.push({ ok: true, what: `credential ${c.name}`, detail: `decrypts; ${origin} answers (HTTP ${res.statusCode})` });
    } catch (err) {
      checks.push({ ok: false, what: `credential ${c.name}`, detail: `decrypts, but ${origin} is unreachable: ${(err as Error).message}` });
    }
  }
  const report = checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.what}: ${c.detail}`).join('\n');
  return { ok: checks.every((c) => c.ok), report };
}
