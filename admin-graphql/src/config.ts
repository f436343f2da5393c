import { z } from 'zod';

/** Admin keys to ensure at boot (e.g. from env in CI); stored only as hashes. */
export const bootstrapKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(['admin', 'viewer']),
  value: z.string().regex(/^pc_admin_[0-9A-Za-z]{20,}$/, 'must be an admin key: pc_admin_ followed by at least 20 base62 characters'),
});

/**
 * `introspection` has no static default: when absent it is on outside production (resolved
 * against host.environment in resolveIntrospection), so a dev server is explorable and a
 * production one is not unless asked.
 */
export const adminGraphqlConfigSchema = z.object({
  path: z.string().startsWith('/').default('/admin/graphql'),
  introspection: z.boolean().optional(),
  maxDepth: z.number().int().min(2).max(50).default(10),
  maxCost: z.number().int().min(10).max(1_000_000).default(5000),
  maxBodyBytes: z.number().int().min(1024).max(10_000_000).default(100_000),
  /** Largest `first` a connection accepts. */
  maxPageSize: z.number().int().min(1).max(1000).default(100),
  /** Audit exports through GraphQL are held in memory; larger ranges go through the CLI. */
  maxExportEvents: z.number().int().min(1).default(100_000),
  bootstrapKeys: z.array(bootstrapKeySchema).default([]),
});

export type AdminGraphqlConfigInput = z.input<typeof adminGraphqlConfigSchema>;
export type AdminGraphqlConfig = z.output<typeof adminGraphqlConfigSchema>;

export function resolveIntrospection(config: AdminGraphqlConfig, environment: 'production' | 'development' | 'test'): boolean {
  return config.introspection ?? environment !== 'production';
}
