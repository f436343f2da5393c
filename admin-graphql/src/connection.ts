import type { Page } from '@portcullis/core';
import { badInput } from './errors';

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Position: the item after skipping `skip` items of the store page that starts at `storeCursor`. */
interface EdgePosition {
  c: string | null;
  o: number;
}

/**
 * Relay connection over a store whose cursors mark page boundaries only. Each edge cursor is
 * (store cursor the page started at, offset in it); the last edge's cursor is re-based on the
 * store's own next cursor, so offsets never grow beyond one page however far a client pages.
 */
export async function toConnection<T>(
  fetchPage: (storeCursor: string | null, limit: number) => Promise<Page<T>>,
  first: number,
  after: string | null | undefined,
  maxPageSize: number,
): Promise<Connection<T>> {
  if (!Number.isInteger(first) || first < 1 || first > maxPageSize) throw badInput('first', `must be an integer from 1 to ${maxPageSize}`);
  const start = after ? decodePosition(after) : { c: null, o: 0 };
  const page = await fetchPage(start.c, start.o + first);
  const nodes = page.items.slice(start.o, start.o + first);
  const edges = nodes.map((node, i) => {
    const isLast = i === nodes.length - 1;
    const position: EdgePosition = isLast && page.nextCursor !== null ? { c: page.nextCursor, o: 0 } : { c: start.c, o: start.o + i + 1 };
    return { cursor: encodePosition(position), node };
  });
  return { edges, pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: edges.at(-1)?.cursor ?? null } };
}

function encodePosition(position: EdgePosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodePosition(cursor: string): EdgePosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object') {
      const { c, o } = parsed as Record<string, unknown>;
      if ((c === null || typeof c === 'string') && Number.isInteger(o) && (o as number) >= 0 && (o as number) <= 10_000) {
        return { c, o: o as number };
      }
    }
  } catch {
    // fall through to the uniform error below
  }
  throw badInput('after', 'is not a cursor returned by this API');
}
