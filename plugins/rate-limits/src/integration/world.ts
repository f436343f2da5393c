import { adapters as openaiAdapters } from '@portcullis/adapter-openai';
import type { GatewayPlugin } from '@portcullis/core';
import { startPolicyWorld, type PolicyWorld, type PolicyWorldProject } from '@portcullis/core/testkit';
import { createAiWrapperPlugin } from '@portcullis/plugin-ai-wrapper';
import { createAuthPlugin } from '@portcullis/plugin-auth';

/** The shared policy world (core testkit) with auth + ai-wrapper + the plugins under test. */
export {
  chatRequestsSeen,
  errorCodeOf,
  metricTotal,
  postChat,
  policyProjectsYaml as projectsYaml,
  POLICY_WORLD_PROVIDER_SECRET as PROVIDER_SECRET,
  waitForFinishedRequests,
  type RawAnswer,
} from '@portcullis/core/testkit';

export type World = PolicyWorld;

export function startWorld(options: { projects: PolicyWorldProject[]; plugins: { plugin: GatewayPlugin<never>; config?: unknown }[]; extraYaml?: string }): Promise<World> {
  return startPolicyWorld({
    ...options,
    plugins: [{ plugin: createAuthPlugin() as GatewayPlugin<never> }, { plugin: createAiWrapperPlugin() as GatewayPlugin<never> }, ...options.plugins],
    adapters: [...openaiAdapters],
  });
}
