import type { GuardrailAction } from '../policy/schema';

export type Direction = 'input' | 'output';

/** What was found and done, by type: counts only, never values. */
export class Findings {
  private readonly byAction = new Map<GuardrailAction, Map<string, number>>();

  add(type: string, action: GuardrailAction, count = 1): void {
    let types = this.byAction.get(action);
    if (types === undefined) this.byAction.set(action, (types = new Map()));
    types.set(type, (types.get(type) ?? 0) + count);
  }

  merge(other: Findings): void {
    for (const [action, types] of other.byAction) for (const [type, n] of types) this.add(type, action, n);
  }

  /** Types handled with `action`, sorted. */
  types(action: GuardrailAction): string[] {
    return [...(this.byAction.get(action)?.keys() ?? [])].sort();
  }

  count(action: GuardrailAction): number {
    let n = 0;
    for (const c of this.byAction.get(action)?.values() ?? []) n += c;
    return n;
  }

  get empty(): boolean {
    return this.byAction.size === 0;
  }

  /** `EMAIL:2,PHONE:1` for log annotations and audit metadata. */
  summary(action: GuardrailAction): string {
    return [...(this.byAction.get(action)?.entries() ?? [])]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([t, n]) => `${t}:${n}`)
      .join(',');
  }
}
