/** Wire enum -> store value. graphql-tools applies these both ways (inputs and outputs). */
export const enumResolvers = {
  ProjectType: { AI_WRAPPER: 'ai_wrapper', AI_GATEWAY: 'ai_gateway', API_PROXY: 'api_proxy' },
  TokenEnvironment: { LIVE: 'live', TEST: 'test' },
  PolicyKind: { RATE_LIMIT: 'rate_limit', BUDGET: 'budget', GUARDRAIL: 'guardrail' },
  PolicyLevel: { GLOBAL: 'global', PROJECT: 'project', ENDPOINT: 'endpoint', TOKEN: 'token', ALIAS: 'alias' },
  AdminRole: { ADMIN: 'admin', VIEWER: 'viewer' },
  AuditSeverity: { INFO: 'info', WARNING: 'warning', CRITICAL: 'critical' },
  AuditExportFormat: { NDJSON: 'ndjson', CSV: 'csv' },
  UsageGroupBy: { PROJECT: 'project', PROVIDER: 'provider', MODEL: 'model', TOKEN: 'token' },
} as const;
