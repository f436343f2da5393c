import { SsrfGuard } from '@portcullis/core';
import { budgetPolicyConfigSchema, budgetPolicyValidationSchema, budgetsPluginConfigSchema } from './policy-config';

describe('budgetPolicyConfigSchema', () => {
  it('fills defaults and sorts/dedupes thresholds', () => {
    expect(budgetPolicyConfigSchema.parse({ capUsd: 10, window: 'monthly' })).toEqual({
      capUsd: 10,
      window: 'monthly',
      timeZone: 'UTC',
      thresholds: [0.5, 0.8, 1],
      unknownPrice: 'allow',
      failMode: 'open',
    });
    expect(budgetPolicyConfigSchema.parse({ capUsd: 1, window: 'daily', thresholds: [1, 0.9, 0.9] }).thresholds).toEqual([0.9, 1]);
  });

  it('accepts a webhook and an IANA zone', () => {
    const parsed = budgetPolicyConfigSchema.parse({
      capUsd: 5,
      window: 'daily',
      timeZone: 'Europe/Paris',
      webhook: { url: 'https://hooks.example.com/x', secret: '0123456789abcdef' },
    });
    expect(parsed.webhook?.url).toBe('https://hooks.example.com/x');
  });

  it.each([
    ['missing cap', { window: 'monthly' }],
    ['zero cap', { capUsd: 0, window: 'monthly' }],
    ['negative cap', { capUsd: -1, window: 'monthly' }],
    ['infinite cap', { capUsd: Number.POSITIVE_INFINITY, window: 'monthly' }],
    ['string cap', { capUsd: '10', window: 'monthly' }],
    ['unknown window', { capUsd: 1, window: 'weekly' }],
    ['bad time zone', { capUsd: 1, window: 'monthly', timeZone: 'Mars/Olympus' }],
    ['threshold above 1', { capUsd: 1, window: 'monthly', thresholds: [1.5] }],
    ['threshold 0', { capUsd: 1, window: 'monthly', thresholds: [0] }],
    ['webhook without secret', { capUsd: 1, window: 'monthly', webhook: { url: 'https://x.example' } }],
    ['webhook short secret', { capUsd: 1, window: 'monthly', webhook: { url: 'https://x.example', secret: 'short' } }],
    ['webhook bad scheme', { capUsd: 1, window: 'monthly', webhook: { url: 'ftp://x.example', secret: '0123456789abcdef' } }],
    ['unknownPrice value', { capUsd: 1, window: 'monthly', unknownPrice: 'maybe' }],
    ['unknown key', { capUsd: 1, window: 'monthly', cap: 2 }],
  ])('rejects %s', (_label, input) => {
    expect(budgetPolicyConfigSchema.safeParse(input).success).toBe(false);
  });
});

describe('budgetsPluginConfigSchema', () => {
  it('fills defaults', () => {
    expect(budgetsPluginConfigSchema.parse({})).toEqual({
      redisTimeoutMs: 100,
      keyPrefix: 'portcullis:budget',
      webhook: { maxAttempts: 4, baseDelayMs: 1000, timeoutMs: 5000, ssrfAllow: [] },
    });
  });
  it.each([{ redisTimeoutMs: 1 }, { webhook: { maxAttempts: 0 } }, { keyPrefix: '' }, { webhook: { ssrfAllow: ['10.0.0.0/99'] } }, { webhook: { ssrfAllow: ['not a host!'] } }])('rejects %p', (input) => {
    expect(budgetsPluginConfigSchema.safeParse(input).success).toBe(false);
  });
});

describe('budgetPolicyValidationSchema (save time)', () => {
  const policy = (url: string) => ({ capUsd: 1, window: 'monthly', webhook: { url, secret: '0123456789abcdef' } });
  it.each([
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['an internal name', 'https://billing.internal/hook'],
    ['credentials in the URL', 'https://user:pass@hooks.example.com/hook'],
  ])('refuses a webhook to %s, naming the field', (_label, url) => {
    const result = budgetPolicyValidationSchema(new SsrfGuard()).safeParse(policy(url));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['webhook.url']);
  });
  it('accepts a public receiver, and an internal one the operator allow-listed', () => {
    expect(budgetPolicyValidationSchema(new SsrfGuard()).safeParse(policy('https://hooks.example.com/x')).success).toBe(true);
    expect(budgetPolicyValidationSchema(new SsrfGuard({ allow: ['10.0.0.0/8'] })).safeParse(policy('http://10.1.2.3/hook')).success).toBe(true);
  });
  it('still applies the schema', () => {
    expect(budgetPolicyValidationSchema(new SsrfGuard()).safeParse({ capUsd: -1, window: 'monthly' }).success).toBe(false);
  });
});
