import { adapters as openaiAdapters } from '@portcullis/adapter-openai';
import type { GatewayPlugin } from '@portcullis/core';
import { startPolicyWorld, type PolicyWorld, type PolicyWorldProject } from '@portcullis/core/testkit';
import { createAiWrapperPlugin } from '@portcullis/plugin-ai-wrapper';
import { createAuthPlugin } from '@portcullis/plugin-auth';
import { startUpstreamTap, type UpstreamTap } from './upstream-tap';

/**
 * The shared policy world (core testkit) with auth + ai-wrapper + the plugins under test, the
 * gateway calling the mock through a recording tap (to see when the gateway hangs up).
 */
export {
  chatRequestsSeen,
  errorCodeOf,
  metricTotal,
  postChat,
  POLICY_WORLD_PROVIDER_SECRET as PROVIDER_SECRET,
  waitForFinishedRequests,
  type RawAnswer,
} from '@portcullis/core/testkit';

export type World = PolicyWorld<UpstreamTap> & { tap: UpstreamTap };

export async function startWorld(options: { projects: PolicyWorldProject[]; plugins: { plugin: GatewayPlugin<never>; config?: unknown }[]; extraYaml?: string }): Promise<World> {
  const world = await startPolicyWorld<UpstreamTap>({
    ...options,
    plugins: [{ plugin: createAuthPlugin() as GatewayPlugin<never> }, { plugin: createAiWrapperPlugin() as GatewayPlugin<never> }, ...options.plugins],
    adapters: [...openaiAdapters],
    relay: startUpstreamTap,
  });
  return { ...world, tap: world.relay! };
}
