import { createAuthPlugin } from './auth-plugin';

export { createAuthPlugin, authConfigSchema, type AuthConfig } from './auth-plugin';
export { extractApiKey } from './bearer';
/** Loaded by name from config (`@portcullis/plugin-auth`); each load gets its own instance. */
export const createPlugin = createAuthPlugin;
