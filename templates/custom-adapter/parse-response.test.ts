import { GatewayError, type Target } from '@portcullis/core';
import { parseAcmeResponse } from './parse-response';

const target: Target = { provider: 'acme', model: 'acme-large-2', credential: { id: 'c1', name: 'acme-main', secret: 's', options: {} } };
const meta = { status: 200, headers: new Headers(), target };

describe('parseAcmeResponse', () => {
  it.each([
    ['not an object', 'hello'],
    ['an array', []],
    ['no output', { id: 'x' }],
    ['output without text', { output: { stop: 'end' } }],
    ['output text of the wrong type', { output: { text: 42, stop: 'end' } }],
  ])('turns %s into a 502 bad response, never a crash', (_name, body) => {
    expect(() => parseAcmeResponse(body, meta)).toThrow(GatewayError);
    try {
      parseAcmeResponse(body, meta);
    } catch (err) {
      expect((err as GatewayError).code).toBe('GW_ERR_UPSTREAM_BAD_RESPONSE');
    }
  });

  it('keeps an unknown stop value as raw, unified "other", and falls back to the target model', () => {
    const parsed = parseAcmeResponse({ output: { text: 'x', stop: 'mystery' } }, meta);
    expect(parsed.choices[0]!.finishReason).toEqual({ unified: 'other', raw: 'mystery' });
    expect(parsed.model).toBe('acme-large-2');
    expect(parsed.usage).toBeUndefined();
  });
});
