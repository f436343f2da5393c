export { plugin, default } from './plugin';
export { createAdminRouter, type AdminRouter } from './router';
export { adminGraphqlConfigSchema, type AdminGraphqlConfig, type AdminGraphqlConfigInput } from './config';
export { typeDefs } from './schema/type-defs';
import { plugin as adminPlugin } from './plugin';
/** Loaded by name from config (`@portcullis/admin-graphql`). The plugin keeps all state in setup, per host. */
export const createPlugin = () => adminPlugin;
