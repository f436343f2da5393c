import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from '../spec/plugin';
import { loadConfigFile } from '../config/load-config';

/**
 * `serve --workers N` (0 = one per core): the primary forks workers that share the listening
 * port. Each worker runs the whole gateway; counters that must agree across workers (rate
 * limits, budgets) need Redis in the config, and the primary refuses to start without it.
 */
export async function runCluster(configPath: string, workers: number, logger: Logger): Promise<number> {
  const count = workers === 0 ? availableParallelism() : workers;
  if (!cluster.isPrimary) throw new Error('runCluster is for the primary process');
  const config = loadConfigFile(configPath);
  if (!config.redis) {
    process.stderr.write('portcullis: --workers > 1 needs `redis:` in the config so rate limits and budgets are shared across workers.\n');
    return 1;
  }
  cluster.setupPrimary({ exec: process.argv[1]!, args: ['serve', '-c', configPath, '--workers', '1'] });
  let stopping = false;
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    logger.error({ pid: worker.process.pid, code }, 'worker exited; starting a replacement');
    cluster.fork();
  });
  const stop = (): void => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return -1;
}
