import { PRESETS } from './presets';
import type { CustomPattern, GuardrailAction, GuardrailPolicy, PresetName, ResolvedPolicy } from './schema';

/**
 * Merges policy levels, most general first (deployment default, global, project, endpoint,
 * token). The base is the preset named by the most specific level that names one ('balanced'
 * when none does); then each level's explicit fields override it in order, per field:
 * `entities` and `names` merge per key, custom patterns merge by name, scalars and
 * `phoneRegions` are replaced. So a token-level `{ entities: { EMAIL: 'block' } }` changes only
 * that one action and inherits everything else.
 */
export function resolvePolicy(levels: readonly GuardrailPolicy[]): ResolvedPolicy {
  let presetName: PresetName = 'balanced';
  for (const level of levels) if (level.preset !== undefined) presetName = level.preset;
  const preset = PRESETS[presetName];

  const entities: Record<string, GuardrailAction> = { ...preset.entities };
  const names = { ...preset.names };
  const custom = new Map<string, CustomPattern>(preset.customPatterns.map((p) => [p.name, p]));
  let { enabled, scanInput, scanOutput, promptInjection, phoneRegions, streamWindow } = preset;

  for (const level of levels) {
    enabled = level.enabled ?? enabled;
    scanInput = level.scanInput ?? scanInput;
    scanOutput = level.scanOutput ?? scanOutput;
    promptInjection = level.promptInjection ?? promptInjection;
    phoneRegions = level.phoneRegions ?? phoneRegions;
    streamWindow = level.streamWindow ?? streamWindow;
    for (const [type, action] of Object.entries(level.entities ?? {})) if (action !== undefined) entities[type] = action;
    if (level.names?.timeoutMs !== undefined) names.timeoutMs = level.names.timeoutMs;
    if (level.names?.onTimeout !== undefined) names.onTimeout = level.names.onTimeout;
    for (const pattern of level.customPatterns ?? []) custom.set(pattern.name, pattern);
  }
  for (const pattern of custom.values()) entities[pattern.name] = pattern.action;

  return { enabled, scanInput, scanOutput, entities, promptInjection, names, phoneRegions, customPatterns: [...custom.values()], streamWindow };
}
