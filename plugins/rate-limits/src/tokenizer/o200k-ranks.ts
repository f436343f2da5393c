import { readFileSync } from 'node:fs';
import { RankTable } from './rank-table';
import { parseTiktoken } from './tiktoken-file';

/**
 * Lazy loader of o200k_base's ranks. The data is the `o200k_base.tiktoken` file gpt-tokenizer
 * ships (the file its generated JS module was built from), read as bytes and indexed into a
 * RankTable; gpt-tokenizer's own modules are never loaded, so nothing keeps its ~200k-string
 * arrays alive. Built on the first count, not at import: a gateway without TPM limits or
 * budgets never pays for it.
 */

/** Where the rank file is: resolved through gpt-tokenizer's `./data/*` export. */
export function o200kRankFilePath(): string {
  return require.resolve('gpt-tokenizer/data/o200k_base.tiktoken');
}

/** Builds a fresh table from the rank file (tests and benchmarks; use o200kRankTable otherwise). */
export function buildO200kRankTable(path: string = o200kRankFilePath()): RankTable {
  const { bytes, offsets } = parseTiktoken(readFileSync(path));
  return RankTable.build(bytes, offsets);
}

/**
 * Process-wide on purpose: the table is read-only data (~4 MB of typed arrays, no mutable
 * state), so every tokenizer of every gateway in the process can share one copy. All mutable
 * state (regex position, scratch buffers) lives in each O200kTokenCounter.
 */
let shared: RankTable | undefined;

/** The shared o200k_base table, built on first call. */
export function o200kRankTable(): RankTable {
  shared ??= buildO200kRankTable();
  return shared;
}
