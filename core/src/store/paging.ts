import { GatewayError } from '../errors/gateway-error';
import type { RequestLogRecord, UsageSummaryQuery } from '../spec/store';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** Page size: default 50, capped at 1000; anything not a positive integer is a client error. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'limit', message: 'limit must be a positive integer.' });
  }
  return Math.min(limit, MAX_PAGE_SIZE);
}

/** Position after the last item of a newest-first request-log page. */
export interface LogCursor {
  at: string;
  id: string;
}

/** Cursors are opaque to clients (base64url JSON) but carry no secret, so no signature. */
export function encodeLogCursor(cursor: LogCursor): string {
  return Buffer.from(JSON.stringify({ a: cursor.at, i: cursor.id })).toString('base64url');
}

export function decodeLogCursor(cursor: string | null | undefined): LogCursor | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  const parsed = parseCursorJson(cursor);
  if (parsed && typeof parsed.a === 'string' && typeof parsed.i === 'string') return { at: parsed.a, id: parsed.i };
  throw invalidCursor();
}

/** Audit pages are newest first by seq; the cursor is the last seq returned. */
export function encodeAuditCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ s: seq })).toString('base64url');
}

export function decodeAuditCursor(cursor: string | null | undefined): number | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  const parsed = parseCursorJson(cursor);
  if (parsed && Number.isInteger(parsed.s) && (parsed.s as number) > 0) return parsed.s as number;
  throw invalidCursor();
}

function parseCursorJson(cursor: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function invalidCursor(): GatewayError {
  return new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'cursor', message: 'The cursor is invalid.' });
}

/** The model a request is counted under: what it resolved to, else what was asked for. */
export function effectiveModel(record: RequestLogRecord): string | null {
  return record.modelResolved ?? record.modelRequested ?? null;
}

/** The grouping key of a record for usage summaries. */
export function summaryKey(record: RequestLogRecord, groupBy: UsageSummaryQuery['groupBy']): string | null {
  switch (groupBy) {
    case 'project':
      return record.projectId ?? null;
    case 'provider':
      return record.provider ?? null;
    case 'model':
      return effectiveModel(record);
    case 'token':
      return record.tokenId ?? null;
    default:
      throw new TypeError(`store: unknown groupBy ${String(groupBy)}`);
  }
}

export const SUMMARY_GROUPS: readonly UsageSummaryQuery['groupBy'][] = ['project', 'provider', 'model', 'token'];

export function assertSummaryQuery(q: UsageSummaryQuery): void {
  if (!SUMMARY_GROUPS.includes(q.groupBy)) {
    throw new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'groupBy', message: 'groupBy must be project, provider, model or token.' });
  }
  if (typeof q.from !== 'string' || typeof q.to !== 'string' || q.from === '' || q.to === '') {
    throw new GatewayError('GW_ERR_REQUEST_INVALID', { param: 'from', message: 'from and to are required ISO-8601 times.' });
  }
}
