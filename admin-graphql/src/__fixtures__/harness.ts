import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import {
  createSilentLogger,
  createStore,
  EnvelopeSecretBox,
  HmacTokenService,
  SnapshotConfigService,
  type AuditEventInput,
  type AuditEventRecord,
  type AuditSink,
  type ConfigService,
  type PluginHost,
  type Store,
} from '@portcullis/core';
import { adminGraphqlConfigSchema, type AdminGraphqlConfigInput } from '../config';
import { plugin } from '../plugin';
import { adapters as openaiAdapters } from '@portcullis/adapter-openai';

/**
 * A PluginHost made of real parts (embedded store, envelope secret box, HMAC token service,
 * snapshot config service) with the admin plugin set up on it and mounted on a real Express app
 * listening on 127.0.0.1:0. Services the admin API never uses throw if touched.
 */
export interface Harness {
  url: string;
  store: Store;
  host: PluginHost;
  /** Reasons passed to config.invalidate, in order. */
  invalidations: string[];
  adminKey: string;
  viewerKey: string;
  gql(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<GqlResponse>;
  /** POST a raw body (for body-limit and bad-JSON tests). */
  raw(body: string, key?: string | null): Promise<{ status: number; text: string }>;
  /** Waits for queued audit writes, then returns the whole chain. */
  auditEvents(): Promise<AuditEventRecord[]>;
  close(): Promise<void>;
}

export interface GqlResponse {
  status: number;
  data: Record<string, unknown> | null | undefined;
  errors: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[] | undefined;
  text: string;
}

export interface HarnessOptions {
  config?: AdminGraphqlConfigInput;
  environment?: 'production' | 'development' | 'test';
  /** SQLite file; default in memory. */
  storePath?: string;
}

const notInHarness = (what: string) => () => {
  throw new Error(`${what} is not available in the admin-graphql test harness`);
};

class QueueAuditSink implements AuditSink {
  private pending: Promise<unknown>[] = [];
  constructor(private readonly store: Store) {}
  record(event: AuditEventInput): void {
    this.pending.push(this.store.audit.append(event));
  }
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
  }
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const logger = createSilentLogger();
  const store = await createStore({ driver: 'embedded', path: options.storePath ?? ':memory:' }, logger);
  const tokens = new HmacTokenService(randomBytes(32));
  const audit = new QueueAuditSink(store);
  const invalidations: string[] = [];
  const snapshots = new SnapshotConfigService({ store, logger, instanceId: 'harness', redis: null, refreshIntervalMs: 0 });
  await snapshots.start();
  const config: ConfigService = {
    current: () => snapshots.current(),
    invalidate: async (reason) => {
      invalidations.push(reason);
      await snapshots.invalidate(reason);
    },
    onChange: (listener) => snapshots.onChange(listener),
    policiesFor: (kind, ctx) => snapshots.policiesFor(kind, ctx),
  };

  const app = express();
  const host: PluginHost = {
    apiVersion: 1,
    instanceId: 'harness',
    logger,
    store,
    config,
    secrets: new EnvelopeSecretBox('harness-app-key-0123456789abcdef'),
    tokens,
    audit,
    metrics: { counter: notInHarness('metrics'), histogram: notInHarness('metrics'), gauge: notInHarness('metrics'), render: notInHarness('metrics') },
    prices: { get: () => null, cost: () => null },
    // The real OpenAI-family adapters: credential writes ask them about provider options.
    llm: { chat: notInHarness('llm'), embeddings: notInHarness('llm'), listModels: notInHarness('llm'), adapterFor: (provider) => openaiAdapters.find((a) => a.providers.includes(provider)) },
    redis: null,
    environment: options.environment ?? 'test',
    registerRoute: notInHarness('registerRoute'),
    mount: (path, handler) => {
      app.use(path, handler);
    },
    runBeforeUpstream: notInHarness('runBeforeUpstream'),
    getService: () => undefined,
    provide: () => undefined,
  };

  const adminKey = tokens.generate('admin').plaintext;
  const viewerKey = tokens.generate('admin').plaintext;
  const pluginConfig = adminGraphqlConfigSchema.parse({
    ...options.config,
    bootstrapKeys: [
      { name: 'harness-admin', role: 'admin', value: adminKey },
      { name: 'harness-viewer', role: 'viewer', value: viewerKey },
      ...(options.config?.bootstrapKeys ?? []),
    ],
  });
  const teardown = await plugin.setup!(host, pluginConfig);

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${pluginConfig.path}`;

  const post = (body: string, key: string | null) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body });

  return {
    url,
    store,
    host,
    invalidations,
    adminKey,
    viewerKey,
    async gql(query, variables, key = adminKey) {
      const response = await post(JSON.stringify({ query, variables }), key);
      const text = await response.text();
      const parsed = JSON.parse(text) as Pick<GqlResponse, 'data' | 'errors'>;
      return { status: response.status, data: parsed.data, errors: parsed.errors, text };
    },
    async raw(body, key = adminKey) {
      const response = await post(body, key);
      return { status: response.status, text: await response.text() };
    },
    async auditEvents() {
      await audit.flush();
      return store.audit.range(0, 100_000);
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (typeof teardown === 'function') await teardown();
      await audit.flush();
      await snapshots.stop();
      await store.close();
    },
  };
}

/** The first error's code and field, for compact assertions. */
export function firstError(response: GqlResponse): { code: unknown; field: unknown; message: string } | null {
  const error = response.errors?.[0];
  return error ? { code: error.extensions?.code, field: error.extensions?.field, message: error.message } : null;
}
