import type { RedisClient } from '@portcullis/core';

/** A pending authorization flow, keyed by its `state` handle. */
export interface PendingFlow {
  connectionId: string;
  projectId: string;
  subject: string | null;
  /** The exact redirect_uri sent to the provider (the token request must repeat it). */
  redirectUri: string;
  /** PKCE code_verifier, or null when the preset has no PKCE. */
  verifier: string | null;
  /** sha256 of the browser-binding cookie set when the flow started. */
  bindingHash: string;
  /** Token that started the flow (audit). */
  startedByTokenId: string;
}

/**
 * Server-side, single-use flow state. `take` is atomic: of two callbacks racing with the same
 * state, exactly one gets the flow (a replay gets null).
 */
export interface FlowStateStore {
  put(handle: string, flow: PendingFlow, ttlMs: number): Promise<void>;
  take(handle: string): Promise<PendingFlow | null>;
}

/** One gateway instance: the callback must reach the instance that started the flow. */
export class MemoryFlowStateStore implements FlowStateStore {
  private readonly flows = new Map<string, { flow: PendingFlow; expiresAt: number }>();

  constructor(
    private readonly maxPending: number,
    private readonly now: () => number = Date.now,
  ) {}

  async put(handle: string, flow: PendingFlow, ttlMs: number): Promise<void> {
    this.sweep();
    // Bounded: someone starting flows in a loop cannot grow memory without limit.
    if (this.flows.size >= this.maxPending) {
      const oldest = this.flows.keys().next().value;
      if (oldest !== undefined) this.flows.delete(oldest);
    }
    this.flows.set(handle, { flow, expiresAt: this.now() + ttlMs });
  }

  async take(handle: string): Promise<PendingFlow | null> {
    const entry = this.flows.get(handle);
    if (!entry) return null;
    this.flows.delete(handle);
    return entry.expiresAt > this.now() ? entry.flow : null;
  }

  private sweep(): void {
    const now = this.now();
    for (const [handle, entry] of this.flows) if (entry.expiresAt <= now) this.flows.delete(handle);
  }
}

/** Shared by every instance: any instance can complete a flow another one started. */
export class RedisFlowStateStore implements FlowStateStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = 'portcullis:oauth-flow:',
  ) {}

  async put(handle: string, flow: PendingFlow, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + handle, JSON.stringify(flow), 'PX', ttlMs, 'NX');
  }

  async take(handle: string): Promise<PendingFlow | null> {
    // GETDEL is atomic: a replayed state finds nothing.
    const raw = await this.redis.getdel(this.prefix + handle);
    return raw === null ? null : (JSON.parse(raw) as PendingFlow);
  }
}
