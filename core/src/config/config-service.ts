import type { Redis } from 'ioredis';
import type { ConfigService, ConfigSnapshot, Logger, RequestContext } from '../spec/plugin';
import type { PolicyKind, PolicyLevel, PolicyRecord, Store } from '../spec/store';
import { emptySnapshot, loadSnapshot } from './snapshot';

const CHANNEL = 'portcullis:config-changed';
const LEVEL_ORDER: Record<PolicyLevel, number> = { global: 0, project: 1, alias: 2, endpoint: 3, token: 4 };

export interface SnapshotConfigServiceOptions {
  store: Store;
  logger: Logger;
  instanceId: string;
  /** When set, changes are announced to and received from other instances. */
  redis: Redis | null;
  /** Safety net in case an announcement is lost (ms). 0 disables. */
  refreshIntervalMs: number;
}

/**
 * Holds the current ConfigSnapshot. Reloads are coalesced: concurrent invalidations share one
 * reload, and one that arrives mid-reload triggers exactly one more, so no change is missed.
 */
export class SnapshotConfigService implements ConfigService {
  private snapshot: ConfigSnapshot = emptySnapshot();
  private version = 0;
  private reloading: Promise<void> | null = null;
  private reloadAgain = false;
  private readonly listeners = new Set<(s: ConfigSnapshot) => void>();
  private subscriber: Redis | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: SnapshotConfigServiceOptions) {}

  async start(): Promise<void> {
    await this.reload();
    const { redis, refreshIntervalMs } = this.options;
    if (redis) {
      this.subscriber = redis.duplicate();
      this.subscriber.on('error', (err) => this.options.logger.warn({ err }, 'config subscriber error'));
      this.subscriber.on('message', (_channel: string, from: string) => {
        if (from !== this.options.instanceId) void this.reload().catch((err) => this.options.logger.error({ err }, 'config reload failed'));
      });
      // duplicate() copies lazyConnect and enableOfflineQueue: false, so the copy must be
      // connected before it can subscribe (otherwise boot fails whenever Redis is configured).
      if (this.subscriber.status === 'wait') await this.subscriber.connect();
      await this.subscriber.subscribe(CHANNEL);
    }
    if (refreshIntervalMs > 0) {
      this.timer = setInterval(() => void this.reload().catch((err) => this.options.logger.error({ err }, 'config reload failed')), refreshIntervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = null;
    }
    await this.reloading;
  }

  current(): ConfigSnapshot {
    return this.snapshot;
  }

  async invalidate(reason: string): Promise<void> {
    this.options.logger.debug({ reason }, 'config invalidated');
    await this.reload();
    if (this.options.redis) {
      try {
        await this.options.redis.publish(CHANNEL, this.options.instanceId);
      } catch (err) {
        this.options.logger.warn({ err }, 'could not announce config change; other instances refresh on their timer');
      }
    }
  }

  onChange(listener: (snapshot: ConfigSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  policiesFor(kind: PolicyKind, ctx: RequestContext): PolicyRecord[] {
    const projectId = ctx.project?.id ?? null;
    const tokenId = ctx.auth?.token.id ?? null;
    const endpointId = ctx.endpoint?.id ?? null;
    const alias = ctx.llm?.alias ?? null;
    return ctx.snapshot.policies
      .filter((p) => {
        if (p.kind !== kind) return false;
        switch (p.level) {
          case 'global':
            return true;
          case 'project':
            return p.projectId === projectId;
          case 'token':
            return tokenId !== null && p.targetId === tokenId;
          case 'endpoint':
            return endpointId !== null && p.targetId === endpointId;
          case 'alias':
            return alias !== null && p.projectId === projectId && p.targetId === alias;
          default:
            return false;
        }
      })
      .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
  }

  private reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          this.version += 1;
          this.snapshot = await loadSnapshot(this.options.store, this.version);
          for (const l of this.listeners) l(this.snapshot);
        } while (this.reloadAgain);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }
}
