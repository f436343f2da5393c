import { compileEndpointConfig } from './compiled-endpoint';
import type { EndpointConfig, EndpointConfigIssue } from './endpoint-config';

export type EndpointConfigValidation = { ok: true; config: EndpointConfig } | { ok: false; issues: EndpointConfigIssue[] };

/**
 * For the admin API (and `portcullis apply`): is this a valid ai_gateway endpoint config?
 * The same check the plugin runs before serving an endpoint version. Never throws.
 */
export function validateEndpointConfig(config: unknown): EndpointConfigValidation {
  const compiled = compileEndpointConfig(config);
  return compiled.ok ? { ok: true, config: compiled.endpoint.config } : { ok: false, issues: compiled.issues };
}
