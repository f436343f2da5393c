import type { Redis } from 'ioredis';
import type { ProviderAdapter } from '../spec/adapter';
import type { GatewayPlugin, Logger, PriceEntry } from '../spec/plugin';
import type { Store } from '../spec/store';
import type { LogQueueOptions } from '../logs/log-queue';
import type { RetryPolicy } from '../llm/upstream-call';
import type { TransportOptions } from '../upstream/transport';
import type { StoreConfig } from '../store/create-store';


export interface PluginEntry {
  // The host validates `config` against the plugin's own schema at boot.
  plugin: GatewayPlugin<never>;
  config?: unknown;
}

export interface GatewayOptions {
  /** An open Store, or how to open one (closed by the gateway on close()). */
  store: Store | StoreConfig;
  /** Encrypts secrets at rest. Required. */
  appKey: string;
  /** Older keys that can still decrypt (rotation). */
  appKeyPrevious?: string[];
  /** Shared counters and config announcements across instances. */
  redis?: { url: string } | Redis | null;
  plugins?: PluginEntry[];
  adapters?: ProviderAdapter[];
  logger?: Logger;
  environment?: 'production' | 'development' | 'test';
  /** Largest JSON body accepted (bytes). Default 10 MiB (images in base64 are large). */
  bodyLimitBytes?: number;
  transport?: Partial<TransportOptions>;
  retry?: Partial<RetryPolicy>;
  /** `provider:model` -> price overrides on top of the shipped table. */
  prices?: Record<string, PriceEntry>;
  logQueue?: Partial<LogQueueOptions>;
  /** Safety-net snapshot refresh (ms). Default 30 s. */
  configRefreshIntervalMs?: number;
  /** Serve Prometheus metrics at this path under the gateway ('' disables). Default '/metrics'. */
  metricsPath?: string;
  /** How long close() waits for in-flight requests and streams. Default 30 s. */
  shutdownTimeoutMs?: number;
}
