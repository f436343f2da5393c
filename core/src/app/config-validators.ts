import type { PolicyKind, ProjectType } from '../spec/store';

/**
 * Service names under which plugins provide ConfigValidators (host.provide). The plugin that
 * enforces a policy kind or serves an endpoint type owns its config's shape; writers (the admin
 * API) look the validator up by these names instead of importing another plugin.
 */
export const policyValidatorService = (kind: PolicyKind): string => `config-validator:policy:${kind}`;
export const endpointValidatorService = (projectType: ProjectType): string => `config-validator:endpoint:${projectType}`;
