/**
 * Money is counted in integer micro-dollars (1e-6 USD) in the ledger: integer increments are
 * exact and atomic in Redis (HINCRBY), where summing floats would drift.
 */
export const MICRO_PER_USD = 1_000_000;

/** Estimates round up: a reservation must never be smaller than the estimate. */
export const estimateToMicro = (usd: number): number => Math.ceil(usd * MICRO_PER_USD - 1e-9);

/** Actual costs round to the nearest micro-dollar. */
export const costToMicro = (usd: number): number => Math.round(usd * MICRO_PER_USD);

export const microToUsd = (micro: number): number => micro / MICRO_PER_USD;
