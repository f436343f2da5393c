import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { ProviderAdapter } from '../spec/adapter';
import type { PluginEntry } from '../app/options';
import { serve, type RunningServer } from '../app/serve';
import { parseConfig } from '../config/load-config';
import { createLogger } from '../util/logger';

export interface TestGatewayOptions {
  /** portcullis.yaml text (env interpolation applies, with `env` below). */
  yaml: string;
  plugins: PluginEntry[];
  adapters: ProviderAdapter[];
  env?: Record<string, string>;
  /** Capture every log line (to check that secrets never appear). */
  captureLogs?: boolean;
}

export interface TestGateway extends RunningServer {
  /** Every log line written, when captureLogs is on. */
  logs: string[];
  appKey: string;
  dataDir: string;
}

/**
 * A real gateway on a random loopback port, backed by a fresh embedded store in a temp dir.
 * End-to-end tests point real clients (the OpenAI SDKs) at `url`.
 */
export async function startTestGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portcullis-test-'));
  const appKey = randomBytes(32).toString('base64');
  const env = { APP_KEY: appKey, ...options.env };
  const config = parseConfig(options.yaml, env, 'test config');
  config.store = { driver: 'embedded', path: join(dataDir, 'portcullis.db') };
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (options.captureLogs) logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  const logger = createLogger({ level: options.captureLogs ? 'debug' : 'silent', destination });
  const running = await serve(config, { baseDir: dataDir, env, logger, port: 0, extensions: { plugins: options.plugins, adapters: options.adapters } });
  return {
    ...running,
    logs,
    appKey,
    dataDir,
    close: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
