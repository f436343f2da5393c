import { setFlagsFromString } from 'node:v8';

/**
 * Applies `server.heapGrowingPercent` to this process's V8. Only the standalone server does this
 * (it owns its process; a gateway mounted into someone's app must not retune their heap). V8
 * reads the flag whenever it sizes the next collection, so setting it at start-up takes effect.
 */
export function applyHeapTuning(server: { heapGrowingPercent?: number | undefined }, setFlags: (flags: string) => void = setFlagsFromString): boolean {
  if (server.heapGrowingPercent === undefined) return false;
  setFlags(`--heap-growing-percent=${server.heapGrowingPercent}`);
  return true;
}
