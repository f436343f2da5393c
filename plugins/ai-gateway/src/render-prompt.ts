import { GatewayError } from '@portcullis/core';
import type { CompiledEndpoint } from './compiled-endpoint';
import { describeViolations } from './json-schema';

const validationError = (param: string, message: string): GatewayError => new GatewayError('GW_ERR_REQUEST_VALIDATION', { param, message });

/**
 * Checks the variables against the endpoint's inputSchema and renders the template. Every
 * failure is a 422 whose `param` names the offending field (`variables.customer.name`, `input`).
 */
export function renderPrompt(endpoint: CompiledEndpoint, input: unknown, variables: Record<string, unknown>): string {
  if (Object.hasOwn(variables, 'input'))
    throw validationError('variables.input', "'variables.input' is reserved: the template's {{input}} is the request's top-level 'input'.");
  if (endpoint.inputSchema) {
    const violations = endpoint.inputSchema.check(variables);
    if (violations.length > 0) {
      const first = violations[0]!;
      throw validationError(first.path === '' ? 'variables' : `variables.${first.path}`, `Invalid variables: ${describeViolations(violations)}.`);
    }
  }
  const view: Record<string, unknown> = { ...variables, input };
  const missing = endpoint.template.missing(view);
  if (missing.length > 0) {
    const params = missing.map((m) => (m.name === 'input' || m.name.startsWith('input.') ? m.name : `variables.${m.name}`));
    throw validationError(params[0]!, `Missing template ${params.length === 1 ? 'value' : 'values'}: ${params.map((p) => `'${p}'`).join(', ')}.`);
  }
  return endpoint.template.render(view);
}
