import { createAiWrapperPlugin } from './ai-wrapper-plugin';

export { createAiWrapperPlugin, aiWrapperConfigSchema } from './ai-wrapper-plugin';
export { ChunkEncoder } from './chunk-encoder';
export { encodeChatCompletion } from './encode-response';
export { validateChatRequest } from './validate-chat';
/** Loaded by name from config (`@portcullis/plugin-ai-wrapper`). */
export const createPlugin = createAiWrapperPlugin;
