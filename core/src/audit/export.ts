import type { AuditEventRecord, AuditStore } from '../spec/store';

export type AuditExportFormat = 'ndjson' | 'csv';

export interface AuditExportOptions {
  /** Inclusive ISO-8601 lower bound on `at`; omitted = from the beginning. */
  from?: string;
  /** Exclusive ISO-8601 upper bound on `at`; omitted = until now. */
  to?: string;
  format: AuditExportFormat;
  /** Refuse ranges with more events than this (the string form is held in memory). */
  maxEvents?: number;
  pageSize?: number;
}

export class AuditExportTooLargeError extends Error {
  constructor(readonly maxEvents: number) {
    super(`the time range holds more than ${maxEvents} audit events; narrow it or stream the export`);
    this.name = 'AuditExportTooLargeError';
  }
}

/** Column order of the CSV export; nested objects are flattened so spreadsheets can filter them. */
export const AUDIT_CSV_COLUMNS = [
  'seq',
  'at',
  'event',
  'severity',
  'actor_type',
  'actor_id',
  'actor_name',
  'project_id',
  'target_type',
  'target_id',
  'target_name',
  'ip',
  'metadata',
  'id',
  'prev_hash',
  'hash',
] as const;

/**
 * Events of a time range, oldest first. The chain is walked by seq (range()) rather than queried
 * by time because seq order is the chain order an auditor re-verifies against, and because clocks
 * of several instances may disagree slightly, so `at` is filtered, not used to stop early.
 */
export async function* auditEventsInRange(
  store: AuditStore,
  range: { from?: string; to?: string },
  pageSize = 500,
): AsyncGenerator<AuditEventRecord> {
  const fromMs = range.from === undefined ? -Infinity : parseTime(range.from, 'from');
  const toMs = range.to === undefined ? Infinity : parseTime(range.to, 'to');
  let afterSeq = 0;
  for (;;) {
    const page = await store.range(afterSeq, pageSize);
    for (const event of page) {
      const at = Date.parse(event.at);
      if (at >= fromMs && at < toMs) yield event;
      afterSeq = event.seq;
    }
    if (page.length < pageSize) return;
  }
}

/** Lines of the export, each ending in a newline (CSV starts with its header line). */
export async function* auditExportLines(store: AuditStore, options: AuditExportOptions): AsyncGenerator<string> {
  if (options.format === 'csv') yield `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
  for await (const event of auditEventsInRange(store, options, options.pageSize)) yield formatAuditEvent(event, options.format);
}

/** Whole export as one string (for the GraphQL query); bounded by maxEvents. */
export async function exportAudit(store: AuditStore, options: AuditExportOptions): Promise<string> {
  const maxEvents = options.maxEvents ?? 100_000;
  const lines: string[] = options.format === 'csv' ? [`${AUDIT_CSV_COLUMNS.join(',')}\r\n`] : [];
  let events = 0;
  for await (const event of auditEventsInRange(store, options, options.pageSize)) {
    events += 1;
    if (events > maxEvents) throw new AuditExportTooLargeError(maxEvents);
    lines.push(formatAuditEvent(event, options.format));
  }
  return lines.join('');
}

function formatAuditEvent(event: AuditEventRecord, format: AuditExportFormat): string {
  return format === 'csv' ? `${auditEventToCsvRow(event)}\r\n` : `${JSON.stringify(event)}\n`;
}

export function auditEventToCsvRow(event: AuditEventRecord): string {
  const cells: (string | number | null | undefined)[] = [
    event.seq,
    event.at,
    event.event,
    event.severity,
    event.actor.type,
    event.actor.id,
    event.actor.name,
    event.projectId,
    event.target?.type,
    event.target?.id,
    event.target?.name,
    event.ip,
    event.metadata && Object.keys(event.metadata).length > 0 ? JSON.stringify(event.metadata) : '',
    event.id,
    event.prevHash,
    event.hash,
  ];
  return cells.map(csvCell).join(',');
}

/**
 * RFC 4180 quoting (fields with comma, quote, CR or LF are quoted, quotes doubled). Text that
 * a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe:
 * names and metadata can be attacker-chosen. NDJSON is the byte-faithful format for re-verifying.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function parseTime(value: string, field: 'from' | 'to'): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${field} is not an ISO-8601 time: ${JSON.stringify(value)}`);
  return ms;
}
