import { rateLimitPolicyConfigSchema, rateLimitsPluginConfigSchema } from './policy-config';

describe('rateLimitPolicyConfigSchema', () => {
  it('accepts a policy and defaults failMode to open', () => {
    expect(rateLimitPolicyConfigSchema.parse({ rpm: 10 })).toEqual({ rpm: 10, failMode: 'open' });
    expect(rateLimitPolicyConfigSchema.parse({ tpm: 1000, rph: 5, failMode: 'closed', defaultMaxTokens: 256 })).toEqual({
      tpm: 1000,
      rph: 5,
      failMode: 'closed',
      defaultMaxTokens: 256,
    });
  });

  it.each([
    ['no limit at all', {}],
    ['only failMode', { failMode: 'open' }],
    ['zero rpm', { rpm: 0 }],
    ['negative tpm', { tpm: -5 }],
    ['fractional rph', { rph: 1.5 }],
    ['string rpm', { rpm: '10' }],
    ['unknown failMode', { rpm: 1, failMode: 'sometimes' }],
    ['unknown key (typo)', { rpm: 1, tmp: 100 }],
    ['zero defaultMaxTokens', { tpm: 100, defaultMaxTokens: 0 }],
    ['not an object', 'rpm=10'],
  ])('rejects %s', (_label, input) => {
    expect(rateLimitPolicyConfigSchema.safeParse(input).success).toBe(false);
  });
});

describe('rateLimitsPluginConfigSchema', () => {
  it('fills defaults', () => {
    expect(rateLimitsPluginConfigSchema.parse({})).toEqual({ redisTimeoutMs: 100, keyPrefix: 'portcullis:rl' });
  });
  it.each([{ redisTimeoutMs: 0 }, { redisTimeoutMs: 10_000 }, { keyPrefix: '' }, { extra: true }])('rejects %p', (input) => {
    expect(rateLimitsPluginConfigSchema.safeParse(input).success).toBe(false);
  });
});
