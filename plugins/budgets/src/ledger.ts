/**
 * The budget ledger: per window key, `spent` and `reserved` in micro-dollars plus a flag per
 * threshold already announced. Two implementations with identical semantics: Redis (shared
 * by all instances, atomic through Lua) and memory (one instance).
 */
export interface ReserveResult {
  admitted: boolean;
  spent: number;
  reserved: number;
}

export interface CommitResult {
  spent: number;
  /** Threshold labels crossed by this commit, each reported once per window ever. */
  crossed: string[];
}

export interface ThresholdMark {
  label: string;
  /** Spend (micro-dollars) at which the threshold is reached. */
  atMicro: number;
}

export interface BudgetLedger {
  /**
   * Atomically: refuse when spent >= cap or spent + reserved + estimate > cap, else add the
   * estimate to reserved.
   */
  reserve(key: string, estimateMicro: number, capMicro: number, ttlSeconds: number): Promise<ReserveResult>;
  /**
   * Atomically: release `releaseMicro` of the reservation, add `actualMicro` to spent, and flag
   * (once) every threshold the new spend has reached.
   */
  commit(key: string, releaseMicro: number, actualMicro: number, ttlSeconds: number, thresholds: readonly ThresholdMark[]): Promise<CommitResult>;
}
