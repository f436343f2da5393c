/**
 * File descriptors for the soak. Every held stream costs a socket in the client, two in the
 * gateway (caller side and upstream side) and one in the upstream. Node raises its own soft
 * `ulimit -n` to the hard limit at startup (every Node child does the same), so the hard limit is
 * what counts, and only root (or the container's --ulimit / limits.conf) can raise that.
 */
import { readFileSync } from 'node:fs';

/** Soft and hard "Max open files" of this process (Linux), or null where /proc is not there. */
export function openFileLimits() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const [soft, hard] = line.trim().split(/\s+/).slice(3, 5).map((v) => (v === 'unlimited' ? Infinity : Number(v)));
    return { soft, hard };
  } catch {
    return null;
  }
}

/** A line describing the limit when it is enough; throws, saying what to raise, when it is not. */
export function ensureOpenFiles(needed) {
  const limits = openFileLimits();
  if (!limits) return `open files: limit unknown on ${process.platform}, need ~${needed} per process`;
  if (limits.soft >= needed) return `open files: limit ${limits.soft} (hard ${limits.hard}) >= ${needed} needed per process`;
  throw new Error(`open files: need ${needed} per process, the limit is ${limits.soft} (hard ${limits.hard}); `
    + 'raise the hard limit (ulimit -Hn as root, limits.conf, or docker run --ulimit nofile=N:N) or pass a smaller --streams');
}
