import { createAiGatewayPlugin } from './ai-gateway-plugin';

export { createAiGatewayPlugin, aiGatewayConfigSchema } from './ai-gateway-plugin';
export { endpointConfigSchema, targetSchema, type EndpointConfig, type EndpointTarget, type EndpointConfigIssue } from './endpoint-config';
export { validateEndpointConfig, type EndpointConfigValidation } from './validate-endpoint-config';
/** Loaded by name from config (`@portcullis/plugin-ai-gateway`); each load gets its own instance. */
export const createPlugin = createAiGatewayPlugin;
