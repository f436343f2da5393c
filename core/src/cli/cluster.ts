import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { Logger } from '../spec/plugin';
import { checkCredentialOptions } from '../app/serve';
import { applyConfig } from '../config/apply';
import { ConfigError, loadConfigFile } from '../config/load-config';
import { openCliContext } from './context';

/** `--workers` from the command line, else `server.workers` from the config; 0 = one per core. */
export function parseWorkerCount(raw: string | undefined, fromConfig: number): number {
  if (raw === undefined) return fromConfig;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) throw new ConfigError(`--workers must be a whole number >= 0 (0 = one per core), got "${raw}"`);
  return n;
}

/** True in a process forked by runCluster: it serves the store as the primary left it. */
export const isClusterWorker = (): boolean => cluster.isWorker;

/**
 * `serve --workers N` (0 = one per core): the primary applies the config once, then forks
 * workers that share the listening port (the primary hands connections out round-robin). Each
 * worker runs the whole gateway without applying the config again, so N workers never race to
 * create the same records or to generate the development APP_KEY. Counters that must agree
 * across workers (rate limits, budgets) need Redis, so N > 1 without `redis:` is refused.
 *
 * Resolves to the exit code when the primary gives up at once, or -1 while the workers run.
 * A worker that dies after it was listening is replaced; one that dies before it ever listened
 * means the config or the environment is broken, so the primary stops everything instead of
 * forking replacements in a loop.
 */
export async function runCluster(configPath: string, workers: number, logger: Logger, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!cluster.isPrimary) throw new Error('runCluster is for the primary process');
  const count = workers === 0 ? availableParallelism() : workers;
  const config = loadConfigFile(configPath, env);
  if (count > 1 && !config.redis) {
    process.stderr.write('portcullis: --workers > 1 needs `redis:` in the config so rate limits and budgets are shared across workers.\n');
    return 1;
  }

  // Checked before the store is opened: the workers would only refuse to boot after the apply.
  await checkCredentialOptions(config, dirname(configPath));
  const ctx = await openCliContext(configPath, env, logger);
  try {
    const result = await applyConfig(ctx.config, ctx);
    await ctx.announce('apply');
    logger.info({ created: result.created.length, updated: result.updated.length, unchanged: result.unchanged.length }, 'config applied by the primary');
    // The workers skip apply, so generated tokens exist only here: print them once.
    for (const t of result.generatedTokens) process.stdout.write(`token ${t.project}/${t.name} (shown once, store it now): ${t.plaintext}\n`);
  } finally {
    await ctx.close();
  }

  cluster.setupPrimary({ exec: process.argv[1]!, args: ['serve', '-c', configPath, '--workers', '1'] });
  const listening = new WeakSet<Worker>();
  let stopping = false;
  const stop = (): void => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  cluster.on('listening', (worker) => listening.add(worker));
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listening.has(worker)) {
      logger.error({ pid: worker.process.pid, code, signal }, 'a worker exited before it was serving; stopping the cluster');
      process.exitCode = 1;
      stop();
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'worker exited; starting a replacement');
    cluster.fork();
  });
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  for (let i = 0; i < count; i++) cluster.fork();
  logger.info({ workers: count }, 'cluster primary started');
  return -1;
}
