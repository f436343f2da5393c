import { GatewayError, type ConfigSnapshot, type LlmCallOptions, type TargetRef } from '@portcullis/core';
import type { EndpointConfig, EndpointTarget } from './endpoint-config';

/** What to put in request.model and the options for host.llm.chat. */
export interface ResolvedEndpointTargets {
  model: string;
  options: LlmCallOptions;
}

/** `provider:model` or `provider/model` where the prefix is a loaded provider. */
function splitRef(ref: string, isProvider: (id: string) => boolean): TargetRef | null {
  for (const sep of [':', '/']) {
    const at = ref.indexOf(sep);
    if (at > 0 && at < ref.length - 1 && isProvider(ref.slice(0, at))) return { provider: ref.slice(0, at), model: ref.slice(at + 1) };
  }
  return null;
}

/**
 * A lone alias target is passed as `alias:<name>`, so core resolves it with the alias's own
 * fallbacks and presets. Anything else (a pinned target, or an alias with endpoint fallbacks)
 * becomes an explicit target list; an alias there expands to its target and fallbacks.
 * A fallback that names an unknown alias is skipped, like core skips disabled fallbacks.
 */
export function resolveEndpointTargets(
  config: EndpointConfig,
  snapshot: ConfigSnapshot,
  projectId: string,
  isProvider: (id: string) => boolean,
): ResolvedEndpointTargets {
  if ('alias' in config.target && config.fallbacks.length === 0) return { model: `alias:${config.target.alias}`, options: {} };
  const expand = (target: EndpointTarget, primary: boolean): TargetRef[] => {
    if (!('alias' in target)) return [target.credential ? { provider: target.provider, model: target.model, credential: target.credential } : { provider: target.provider, model: target.model }];
    const alias = snapshot.aliases.get(projectId)?.get(target.alias);
    if (!alias) {
      if (!primary) return [];
      throw new GatewayError('GW_ERR_MODEL_NOT_FOUND', { message: `The endpoint's alias "${target.alias}" does not exist in this project.` });
    }
    return [alias.target, ...alias.fallbacks].map((ref) => splitRef(ref, isProvider)).filter((ref): ref is TargetRef => ref !== null);
  };
  const targets = [...expand(config.target, true), ...config.fallbacks.flatMap((f) => expand(f, false))];
  const primary = targets[0];
  if (!primary) throw new GatewayError('GW_ERR_PROVIDER_UNKNOWN', { message: "The endpoint's target names no provider this gateway has loaded." });
  return { model: `${primary.provider}:${primary.model}`, options: { targets } };
}
