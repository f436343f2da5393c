import { definePlugin } from '@portcullis/core';
import { z } from 'zod';
import { chatCompletionsRoute } from './chat-route';
import { embeddingsRoute } from './embeddings-route';
import { listModelsRoute, retrieveModelRoute } from './models-routes';

export const aiWrapperConfigSchema = z.object({}).strict();

/** The OpenAI-compatible surface of `ai_wrapper` projects: `/api/<project>/v1/...`. */
export function createAiWrapperPlugin() {
  return definePlugin<z.infer<typeof aiWrapperConfigSchema>>({
    name: 'ai-wrapper',
    apiVersion: 1,
    priority: 0,
    configSchema: aiWrapperConfigSchema,
    dependsOn: ['auth'],
    setup(host) {
      host.registerRoute(chatCompletionsRoute(host));
      host.registerRoute(embeddingsRoute(host));
      host.registerRoute(listModelsRoute(host));
      host.registerRoute(retrieveModelRoute(host));
    },
  });
}
