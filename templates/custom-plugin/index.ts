import { createRequestTaggerPlugin } from './request-tagger';

export { createRequestTaggerPlugin, requestTaggerConfigSchema, tagFor, type RequestTaggerConfig } from './request-tagger';
/** What the config loader calls when portcullis.yaml names this package or path under `plugins:`. */
export const createPlugin = createRequestTaggerPlugin;
