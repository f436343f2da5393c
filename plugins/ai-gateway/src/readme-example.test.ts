import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@portcullis/core';
import { validateEndpointConfig } from './validate-endpoint-config';

/** The README's YAML example must stay a valid portcullis.yaml with valid endpoint configs. */
describe('README example', () => {
  it('parses as a portcullis.yaml whose endpoints pass validateEndpointConfig', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const yaml = /```yaml\n(projects:[\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    const config = parseConfig(yaml!, {}, 'README');
    const endpoints = config.projects.flatMap((p) => p.endpoints);
    expect(endpoints.map((e) => e.slug)).toEqual(['summarize-ticket', 'classify-ticket']);
    for (const e of endpoints) expect(validateEndpointConfig(e.config)).toEqual({ ok: true, config: expect.any(Object) });
  });
});
