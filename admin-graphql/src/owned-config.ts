import type { ConfigValidator } from '@portcullis/core';
import type { AdminContext } from './context';
import { badInput } from './errors';

/**
 * Checks a config against the validator its owning plugin provides (a policy kind, an endpoint
 * type). When that plugin is not loaded nothing enforces the config at request time either, so
 * it is stored as given.
 */
export function checkOwnedConfig(ctx: AdminContext, service: string, config: unknown): void {
  const validate = ctx.host.getService<ConfigValidator>(service);
  if (!validate) return;
  const result = validate(config);
  if (result.ok) return;
  const [first] = result.issues;
  const field = first && first.path ? `config.${first.path}` : 'config';
  const rest = result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : '';
  throw badInput(field, `${first?.message ?? 'invalid'}${rest}`);
}
