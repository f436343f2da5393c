import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyConfig, ConfigError, createSilentLogger, createStore, EnvelopeSecretBox, openTokenService, parseConfig, type PortcullisConfig } from '@portcullis/core';
import { budgetPolicyConfigSchema, createPlugin as createBudgetsPlugin } from '@portcullis/plugin-budgets';
import { createPlugin as createRateLimitsPlugin, rateLimitPolicyConfigSchema } from '@portcullis/plugin-rate-limits';

/**
 * The standalone template is what operators copy first, so it must stay valid as the schema
 * and the plugins evolve: it parses, names every secret it needs, loads only packages that
 * exist, carries plugin and policy configs the plugins accept, and applies to a real store.
 */
const TEMPLATE = readFileSync(join(__dirname, 'portcullis.yaml'), 'utf8');
const REPO_ROOT = join(__dirname, '..', '..');

const PRODUCTION_ENV = {
  MONGODB_URI: 'mongodb://portcullis:pw@mongo-0.internal:27017/portcullis?replicaSet=rs0',
  REDIS_URL: 'redis://redis.internal:6379/0',
  OPENAI_API_KEY: 'sk-template-openai-0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-template-anthropic-0123456789',
  GEMINI_API_KEY: 'AIzaTemplateGemini0123456789abcdefghijk',
  AWS_ACCESS_KEY_ID: 'AKIATEMPLATE00000001',
  AWS_SECRET_ACCESS_KEY: 'templateAwsSecretAccessKey0123456789abcd',
  BUDGET_WEBHOOK_URL: 'https://hooks.example.com/portcullis/budget',
  BUDGET_WEBHOOK_SECRET: 'whsec_template_0123456789abcdef',
};
const REQUIRED_VARIABLES = Object.keys(PRODUCTION_ENV);

const parse = (env: Record<string, string> = PRODUCTION_ENV): PortcullisConfig => parseConfig(TEMPLATE, env, 'templates/standalone/portcullis.yaml');

describe('templates/standalone/portcullis.yaml', () => {
  it('parses with the production environment, secrets and URLs taken from env', () => {
    const config = parse();
    expect(config.environment).toBe('production');
    expect(config.store).toEqual({ driver: 'mongo', uri: PRODUCTION_ENV.MONGODB_URI });
    expect(config.redis).toEqual({ url: PRODUCTION_ENV.REDIS_URL });
    expect(Object.fromEntries(config.credentials.map((c) => [c.name, c.secret]))).toEqual({
      'openai-main': PRODUCTION_ENV.OPENAI_API_KEY,
      'anthropic-main': PRODUCTION_ENV.ANTHROPIC_API_KEY,
      'gemini-main': PRODUCTION_ENV.GEMINI_API_KEY,
      'bedrock-main': PRODUCTION_ENV.AWS_SECRET_ACCESS_KEY,
    });
    expect(config.credentials.find((c) => c.name === 'bedrock-main')!.options).toEqual({ accessKeyId: PRODUCTION_ENV.AWS_ACCESS_KEY_ID, region: 'us-east-1' });
    expect(config.projects.map((p) => p.name)).toEqual(['Support assistant', 'Internal tools']);
  });

  it('carries no secret of its own: no token value, no inline key', () => {
    const config = parse();
    expect(config.projects.flatMap((p) => p.tokens).every((t) => t.value === undefined)).toBe(true);
    expect(TEMPLATE).not.toMatch(/sk-[A-Za-z0-9]|AKIA[0-9A-Z]|AIza[0-9A-Za-z]|pc_live_/);
  });

  it.each(REQUIRED_VARIABLES)('refuses to load without %s, and names it', (name) => {
    const env: Record<string, string> = { ...PRODUCTION_ENV };
    delete env[name];
    expect(() => parse(env)).toThrow(ConfigError);
    expect(() => parse(env)).toThrow(new RegExp(`environment variable ${name} is not set`));
  });

  it('uses AWS_REGION when set', () => {
    const config = parse({ ...PRODUCTION_ENV, AWS_REGION: 'eu-west-3' });
    expect(config.credentials.find((c) => c.name === 'bedrock-main')!.options['region']).toBe('eu-west-3');
  });

  it('names only plugin and adapter packages that exist in this repository', () => {
    const config = parse();
    const names = [...config.plugins.map((p) => (typeof p === 'string' ? p : p.package)), ...config.adapters];
    for (const name of names) {
      const match = /^@portcullis\/(plugin|adapter)-(.+)$/.exec(name);
      expect([name, match !== null]).toEqual([name, true]);
      const manifest = join(REPO_ROOT, `${match![1]}s`, match![2]!, 'package.json');
      expect([name, existsSync(manifest)]).toEqual([name, true]);
      expect((JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name).toBe(name);
    }
  });

  it('gives plugins configs their own schemas accept', () => {
    const schemas = new Map([
      ['@portcullis/plugin-rate-limits', createRateLimitsPlugin().configSchema],
      ['@portcullis/plugin-budgets', createBudgetsPlugin().configSchema],
    ]);
    const withConfig = parse().plugins.filter((p) => typeof p !== 'string');
    expect(withConfig.map((p) => p.package).sort()).toEqual([...schemas.keys()].sort());
    for (const ref of withConfig) {
      const result = schemas.get(ref.package)!.safeParse(ref.config);
      expect([ref.package, result.success ? [] : result.error.issues]).toEqual([ref.package, []]);
    }
  });

  it('gives every policy a config its plugin accepts', () => {
    const policies = parse().projects.flatMap((p) => p.policies.map((policy) => ({ project: p.name, ...policy })));
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      const schema = policy.kind === 'rate_limit' ? rateLimitPolicyConfigSchema : policy.kind === 'budget' ? budgetPolicyConfigSchema : null;
      expect([policy.project, policy.kind, schema !== null]).toEqual([policy.project, policy.kind, true]);
      const result = schema!.safeParse(policy.config);
      expect([policy.project, policy.kind, result.success ? [] : result.error.issues]).toEqual([policy.project, policy.kind, []]);
    }
  });

  it('binds every provider an alias targets, to a credential that exists', () => {
    const config = parse();
    const credentials = new Set(config.credentials.map((c) => c.name));
    for (const project of config.projects) {
      const bound = new Set(project.providers.map((b) => b.provider));
      for (const b of project.providers) expect([project.name, b.credential, credentials.has(b.credential)]).toEqual([project.name, b.credential, true]);
      for (const alias of project.aliases)
        for (const target of [alias.target, ...alias.fallbacks]) {
          const provider = target.split(/[:/]/)[0]!;
          expect([project.name, alias.name, provider, bound.has(provider)]).toEqual([project.name, alias.name, provider, true]);
        }
      const tokenNames = new Set(project.tokens.map((t) => t.name));
      for (const policy of project.policies.filter((p) => p.level === 'token'))
        expect([project.name, policy.target, tokenNames.has(policy.target ?? '')]).toEqual([project.name, policy.target, true]);
    }
  });

  describe('applied to a store (embedded here instead of MongoDB)', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'portcullis-template-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('creates both projects and generates each token once; a second apply changes nothing', async () => {
      const config = parse();
      const store = await createStore({ driver: 'embedded', path: join(dir, 'portcullis.db') }, createSilentLogger());
      try {
        const secrets = new EnvelopeSecretBox(randomBytes(32).toString('base64'));
        const deps = { store, secrets, tokens: await openTokenService(store, secrets) };
        const first = await applyConfig(config, deps);
        expect(first.generatedTokens.map((t) => `${t.project}/${t.name}`).sort()).toEqual(['Internal tools/ci', 'Internal tools/notebooks', 'Support assistant/support-backend']);
        expect(first.generatedTokens.every((t) => /^pc_live_/.test(t.plaintext))).toBe(true);
        const stored = await store.credentials.findOne({ name: 'openai-main' });
        expect(stored!.secretEnc).not.toContain(PRODUCTION_ENV.OPENAI_API_KEY);
        expect(secrets.decrypt(stored!.secretEnc)).toBe(PRODUCTION_ENV.OPENAI_API_KEY);

        const second = await applyConfig(config, deps);
        expect(second.created).toEqual([]);
        expect(second.updated).toEqual([]);
        expect(second.generatedTokens).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
});
