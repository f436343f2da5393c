import type { RequestLogRecord, UsageSummaryQuery, UsageSummaryRow } from '../spec/store';
import { summaryKey } from './paging';

/** Stable order for summary rows: most requests first, then by key (null last). */
export function sortSummaryRows(rows: UsageSummaryRow[]): UsageSummaryRow[] {
  return rows.sort((a, b) => {
    if (b.requests !== a.requests) return b.requests - a.requests;
    if (a.key === b.key) return 0;
    if (a.key === null) return 1;
    if (b.key === null) return -1;
    return a.key < b.key ? -1 : 1;
  });
}

/**
 * In-process grouping, for drivers whose server cannot be trusted with aggregation (FerretDB 1.x).
 * Callers bound the input by the query's time range.
 */
export class UsageAccumulator {
  private readonly rows = new Map<string | null, UsageSummaryRow>();

  constructor(private readonly groupBy: UsageSummaryQuery['groupBy']) {}

  add(record: RequestLogRecord): void {
    const key = summaryKey(record, this.groupBy);
    let row = this.rows.get(key);
    if (!row) {
      row = { key, requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedRequests: 0 };
      this.rows.set(key, row);
    }
    row.requests += 1;
    row.inputTokens += record.inputTokens ?? 0;
    row.outputTokens += record.outputTokens ?? 0;
    if (record.costUsd === null || record.costUsd === undefined) row.unpricedRequests += 1;
    else row.costUsd += record.costUsd;
  }

  result(): UsageSummaryRow[] {
    return sortSummaryRows([...this.rows.values()]);
  }
}
