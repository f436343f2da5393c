import type { BudgetLedger, CommitResult, ReserveResult, ThresholdMark } from './ledger';

interface Entry {
  spent: number;
  reserved: number;
  announced: Set<string>;
}

/**
 * The ledger in this process's memory, for a gateway without Redis. Same rules as the Lua
 * scripts; JavaScript's single thread makes each method atomic. Entries of a window that has
 * ended are dropped once a newer window of the same policy appears and nothing is in flight.
 */
export class MemoryBudgetLedger implements BudgetLedger {
  private readonly entries = new Map<string, Entry>();

  async reserve(key: string, estimateMicro: number, capMicro: number, _ttlSeconds = 0): Promise<ReserveResult> {
    const entry = this.entry(key);
    if (entry.spent >= capMicro || entry.spent + entry.reserved + estimateMicro > capMicro) {
      return { admitted: false, spent: entry.spent, reserved: entry.reserved };
    }
    entry.reserved += estimateMicro;
    return { admitted: true, spent: entry.spent, reserved: entry.reserved };
  }

  async commit(key: string, releaseMicro: number, actualMicro: number, _ttlSeconds: number, thresholds: readonly ThresholdMark[]): Promise<CommitResult> {
    const entry = this.entry(key);
    entry.reserved = Math.max(0, entry.reserved - releaseMicro);
    entry.spent += actualMicro;
    const crossed: string[] = [];
    for (const t of thresholds) {
      if (entry.spent >= t.atMicro && !entry.announced.has(t.label)) {
        entry.announced.add(t.label);
        crossed.push(t.label);
      }
    }
    return { spent: entry.spent, crossed };
  }

  /** For tests and diagnostics. */
  peek(key: string): { spent: number; reserved: number } | null {
    const e = this.entries.get(key);
    return e ? { spent: e.spent, reserved: e.reserved } : null;
  }

  private entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      this.dropEndedWindows(key);
      entry = { spent: 0, reserved: 0, announced: new Set() };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Keys are `<policy>:v<version>:<window>`; older windows of the same policy are finished. */
  private dropEndedWindows(newKey: string): void {
    const policyPart = newKey.slice(0, newKey.lastIndexOf(':') + 1);
    for (const [key, entry] of this.entries) {
      if (key.startsWith(policyPart) && entry.reserved === 0) this.entries.delete(key);
    }
  }
}
