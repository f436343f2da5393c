import { randomUUID } from 'node:crypto';

/** Record ids for every driver: random UUIDs, so ids never leak counts or creation order. */
export function newId(): string {
  return randomUUID();
}
