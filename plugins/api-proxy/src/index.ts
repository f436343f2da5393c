import { createApiProxyPlugin } from './api-proxy-plugin';

export { createApiProxyPlugin, apiProxyConfigSchema, type ApiProxyConfig, type ApiProxyService, type CreateOAuthConnectionInput } from './api-proxy-plugin';
export { validateProxyEndpointConfig, proxyEndpointConfigSchema, type ProxyEndpointConfig, type ProxyConfigValidation } from './proxy/endpoint-config';
export { loadPresets, oauthPresetSchema, DEFAULT_PRESETS_DIR, type OAuthPreset } from './oauth/presets';

/** Plugin module convention: a fresh plugin (no shared state) per call. */
export const createPlugin = createApiProxyPlugin;
