/**
 * Portcullis inside an Express 5 app you already have: the gateway is an Express Router, so it
 * mounts at `/llm` next to your own routes and shares your server, port and process.
 *
 *   APP_KEY=... OPENAI_API_KEY=... node dist/server.js      (after compiling; see README.md)
 *
 * Your app's routes stay yours (your auth, your body parsers); everything under `/llm` goes
 * through the gateway's own pipeline: token auth, limits, provider routing, OpenAI errors.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type Express } from 'express';
import { adapters as anthropicAdapters } from '@portcullis/adapter-anthropic';
import { adapters as openaiAdapters } from '@portcullis/adapter-openai';
import {
  applyConfig,
  createGateway,
  createLogger,
  createStore,
  EnvelopeSecretBox,
  openTokenService,
  parseConfig,
  type ApplyResult,
  type Gateway,
  type GatewayPlugin,
  type Logger,
  type PluginEntry,
  type PortcullisConfig,
  type StoreConfig,
} from '@portcullis/core';
import { createPlugin as createAiWrapperPlugin } from '@portcullis/plugin-ai-wrapper';
import { createPlugin as createAuthPlugin } from '@portcullis/plugin-auth';

export interface AppWithGatewayOptions {
  /** Parsed portcullis.yaml: credentials, projects, aliases, tokens. */
  config: PortcullisConfig;
  /** Encrypts provider keys at rest. Required; keep it in your secret manager. */
  appKey: string;
  /** Where the gateway keeps its state (default: the config's `store`). */
  store?: StoreConfig;
  logger?: Logger;
}

export interface AppWithGateway {
  app: Express;
  gateway: Gateway;
  /** What applying the config did (tokens generated on the first run are only shown here). */
  applied: ApplyResult;
  /** Finishes in-flight LLM requests and streams, flushes logs, closes the store. */
  close(): Promise<void>;
}

/**
 * The host takes plugins of any config type (it validates each config against the plugin's own
 * schema at boot), so an entry erases the config type; this keeps that cast in one place.
 */
const pluginEntry = <Config>(plugin: GatewayPlugin<Config>, config?: unknown): PluginEntry => ({
  plugin: plugin as GatewayPlugin<never>,
  ...(config === undefined ? {} : { config }),
});

export async function createAppWithGateway(options: AppWithGatewayOptions): Promise<AppWithGateway> {
  const logger = options.logger ?? createLogger();
  // The app opens the store itself (rather than handing createGateway a store config) because
  // the declarative config must be applied to it before the gateway takes its first snapshot.
  const store = await createStore(options.store ?? options.config.store, logger);
  let gateway: Gateway | null = null;
  try {
    const secrets = new EnvelopeSecretBox(options.appKey);
    const applied = await applyConfig(options.config, { store, secrets, tokens: await openTokenService(store, secrets) });
    gateway = createGateway({
      store,
      appKey: options.appKey,
      plugins: [pluginEntry(createAuthPlugin()), pluginEntry(createAiWrapperPlugin())],
      adapters: [...openaiAdapters, ...anthropicAdapters],
      logger,
      ...(options.config.redis ? { redis: options.config.redis } : {}),
    });
    await gateway.ready;

    const app = express();
    app.disable('x-powered-by');
    // Mount the gateway BEFORE any global body parser: it reads and size-limits request bodies
    // itself, and a body already consumed by express.json() would reach it empty.
    app.use('/llm', gateway);

    // The application's own routes, with their own middleware.
    app.get('/health', (_req, res) => {
      res.json({ status: 'ok', service: 'my-app' });
    });
    app.post('/api/notes', express.json({ limit: '100kb' }), (req, res) => {
      const body: unknown = req.body;
      const text = typeof body === 'object' && body !== null && typeof (body as { text?: unknown }).text === 'string' ? (body as { text: string }).text : null;
      if (text === null) {
        res.status(400).json({ error: 'text (string) is required' });
        return;
      }
      res.status(201).json({ saved: true, text });
    });

    const running = gateway;
    return {
      app,
      gateway: running,
      applied,
      close: async () => {
        await running.close();
        // An injected store is the caller's to close (the gateway only closes stores it opened).
        await store.close();
      },
    };
  } catch (err) {
    if (gateway) await gateway.close().catch(() => undefined);
    await store.close();
    throw err;
  }
}

/** Starts the app on a port (0 = any free port) and resolves with its URL. */
export async function listen(app: Express, port: number, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: actual } = server.address() as AddressInfo;
  return { server, url: `http://${host}:${actual}` };
}

async function main(): Promise<void> {
  const appKey = process.env['APP_KEY'];
  if (!appKey) throw new Error('APP_KEY is not set: generate one with `openssl rand -base64 32`');
  const configPath = process.env['PORTCULLIS_CONFIG'] ?? join(process.cwd(), 'portcullis.yaml');
  const config = parseConfig(readFileSync(configPath, 'utf8'), process.env, configPath);
  const { app, applied, close } = await createAppWithGateway({ config, appKey });
  for (const t of applied.generatedTokens) process.stdout.write(`new token ${t.project}/${t.name}: ${t.plaintext} (shown once)\n`);
  const { server, url } = await listen(app, Number(process.env['PORT'] ?? 3000), process.env['HOST'] ?? '127.0.0.1');
  process.stdout.write(`app on ${url}, gateway on ${url}/llm\n`);
  const shutdown = (): void => {
    server.close();
    void close().then(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
