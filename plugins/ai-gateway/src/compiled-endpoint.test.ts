import { GatewayError, type Logger } from '@portcullis/core';
import { EndpointCache } from './compiled-endpoint';
import { endpointRecord } from './__fixtures__/endpoints';

/** Records warn calls; the cache logs nothing else. */
function warnRecorder(): Logger & { warnings: unknown[] } {
  const warnings: unknown[] = [];
  const logger = { warnings, debug: () => {}, info: () => {}, error: () => {}, warn: (obj: unknown) => void warnings.push(obj), child: () => logger };
  return logger;
}

describe('EndpointCache', () => {
  it('compiles once per (endpoint, version) and recompiles when the version changes', () => {
    const cache = new EndpointCache(warnRecorder());
    const v1 = endpointRecord({ config: { target: { alias: 'fast' }, template: 'v1 {{input}}' } });
    const first = cache.get(v1);
    expect(cache.get({ ...v1 })).toBe(first);
    const v2 = endpointRecord({ version: 2, config: { target: { alias: 'fast' }, template: 'v2 {{input}}' } });
    const second = cache.get(v2);
    expect(second).not.toBe(first);
    expect(second.template.render({ input: 'x' })).toBe('v2 x');
  });

  it('answers an invalid stored config with a safe internal error and logs the issues once', () => {
    const logger = warnRecorder();
    const cache = new EndpointCache(logger);
    const broken = endpointRecord({ config: { target: { alias: 'fast' }, template: '{{#open}}' } });
    const attempt = () => cache.get(broken);
    expect(attempt).toThrow(GatewayError);
    expect(attempt).toThrow('This endpoint is misconfigured; an operator must fix its config.');
    expect(logger.warnings).toEqual([expect.objectContaining({ slug: 'summarize', issues: [expect.objectContaining({ path: 'template' })] })]);
  });
});
