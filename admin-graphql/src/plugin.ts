import { definePlugin, PLUGIN_API_VERSION } from '@portcullis/core';
import { adminGraphqlConfigSchema, type AdminGraphqlConfig } from './config';
import { createAdminRouter } from './router';

/**
 * The GraphQL admin API as a gateway plugin: mounted at `config.path` (default /admin/graphql),
 * outside the request pipeline, with its own admin-key auth. No request hooks.
 */
export const plugin = definePlugin<AdminGraphqlConfig>({
  name: 'admin-graphql',
  apiVersion: PLUGIN_API_VERSION,
  configSchema: adminGraphqlConfigSchema,
  async setup(host, config) {
    const admin = await createAdminRouter(host, config);
    host.mount(config.path, admin.router);
    return () => admin.stop();
  },
});

export default plugin;
