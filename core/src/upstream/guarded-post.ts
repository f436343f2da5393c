import { Agent, request } from 'undici';
import type { SsrfGuard } from '../security/ssrf';

/** What a tenant-configured callback (a webhook) gets back: its status; the body is discarded. */
export interface GuardedPostResult {
  status: number;
}

export interface GuardedPostInit {
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** POSTs to a URL a tenant configured; refuses internal addresses (see GuardedPoster). */
export type GuardedPost = (url: string, init: GuardedPostInit) => Promise<GuardedPostResult>;

/**
 * Outbound POSTs to URLs that tenants configure (budget webhooks and the like), with both SSRF
 * layers of `SsrfGuard`: the URL is checked before each attempt (literal private addresses,
 * internal names, credentials in the URL), and the connection resolves names through the guard's
 * lookup, so a public-looking name that resolves (or rebinds) to an internal address never
 * connects. Redirects are not followed: a 3xx is just a status, never a second request to
 * wherever the receiver points. One keep-alive pool per poster; close it with the owner.
 */
export class GuardedPoster {
  private readonly agent: Agent;

  constructor(private readonly guard: SsrfGuard) {
    this.agent = new Agent({ connect: { lookup: guard.lookup }, keepAliveTimeout: 10_000 });
  }

  /** Throws GW_ERR_PROXY_SSRF for a refused URL, the network error otherwise. */
  readonly post: GuardedPost = async (url, init) => {
    const target = this.guard.assertUrl(url);
    const res = await request(target, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      signal: init.signal,
      dispatcher: this.agent,
    });
    await res.body.dump().catch(() => undefined);
    return { status: res.statusCode };
  };

  close(): Promise<void> {
    return this.agent.close();
  }
}
