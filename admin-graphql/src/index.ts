export { plugin, default } from './plugin';
export { createAdminRouter, type AdminRouter } from './router';
export { adminGraphqlConfigSchema, type AdminGraphqlConfig, type AdminGraphqlConfigInput } from './config';
export { typeDefs } from './schema/type-defs';
