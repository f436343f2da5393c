import { GatewayError, type CanonicalChatRequest, type Target } from '@portcullis/core';
import { buildAcmeRequest } from './build-request';

const target: Target = { provider: 'acme', model: 'acme-large-2', credential: { id: 'c1', name: 'acme-main', secret: 'acme-secret-0123456789', options: {} } };
const hello: CanonicalChatRequest = { model: 'smart', messages: [{ role: 'user', content: 'hi' }] };

/** The GatewayError a request is refused with (fails the test when it is accepted). */
function refusal(req: CanonicalChatRequest): GatewayError {
  try {
    buildAcmeRequest(req, target);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('the request was accepted');
}

describe('buildAcmeRequest refuses what Acme cannot do, naming the parameter', () => {
  it.each<[string, CanonicalChatRequest, string]>([
    ['tools', { ...hello, tools: [{ type: 'function', function: { name: 'f' } }] }, 'tools'],
    ['json mode', { ...hello, response_format: { type: 'json_object' } }, 'response_format'],
    ['json schema', { ...hello, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } }, 'response_format'],
    ['n > 1', { ...hello, n: 2 }, 'n'],
    ['logprobs', { ...hello, logprobs: true }, 'logprobs'],
    ['an image', { ...hello, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] }, 'messages[0].content[0]'],
    ['a tool message', { ...hello, messages: [{ role: 'tool', content: '{}', tool_call_id: 'c1' }] }, 'messages[0].role'],
    [
      'an assistant tool call',
      { ...hello, messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }] },
      'messages[0].tool_calls',
    ],
  ])('%s', (_name, req, param) => {
    const err = refusal(req);
    expect({ code: err.code, status: err.status, param: err.param }).toEqual({ code: 'GW_ERR_FEATURE_UNSUPPORTED', status: 400, param });
  });

  it('accepts response_format text and n = 1', () => {
    expect(() => buildAcmeRequest({ ...hello, response_format: { type: 'text' }, n: 1 }, target)).not.toThrow();
  });
});

describe('buildAcmeRequest warnings', () => {
  it('says which settings were not sent', () => {
    const built = buildAcmeRequest({ ...hello, top_p: 0.5, seed: 7 }, target);
    expect(built.warnings.map((w) => w.setting)).toEqual(['top_p', 'seed']);
    const body = JSON.parse(built.body!) as Record<string, unknown>;
    expect(body).not.toHaveProperty('top_p');
    expect(body).not.toHaveProperty('seed');
  });

  it('has no warnings for a plain request', () => {
    expect(buildAcmeRequest(hello, target).warnings).toEqual([]);
  });
});
