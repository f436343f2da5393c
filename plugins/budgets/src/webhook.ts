import { createHmac, randomUUID } from 'node:crypto';
import { GatewayError, type GuardedPost, type Logger } from '@portcullis/core';

export interface WebhookOptions {
  maxAttempts: number;
  /** First retry waits this long; each further retry doubles it (plus up to 20% jitter). */
  baseDelayMs: number;
  /** Per attempt. */
  timeoutMs: number;
  logger: Logger;
  /** The SSRF-guarded POST (core's GuardedPoster): receivers are tenant-configured URLs. */
  post: GuardedPost;
}

/** `sha256=<hex HMAC-SHA256 of the exact body>`, the scheme GitHub and Stripe users know. */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The SSRF refusal on an error's cause chain (undici wraps connect-time refusals), if any. */
function ssrfRefusal(err: unknown): string | null {
  for (let e: unknown = err; e instanceof Error; e = (e as Error & { cause?: unknown }).cause) {
    if (e instanceof GatewayError && e.code === 'GW_ERR_PROXY_SSRF') return String(e.details['reason'] ?? 'ssrf');
  }
  return null;
}

const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/**
 * Delivers budget alerts off the request path: `send` returns at once; deliveries run in the
 * background with bounded retries and exponential backoff, and `close` aborts what is left.
 * Every attempt of one delivery carries the same `x-portcullis-delivery` id so a receiver can
 * drop duplicates.
 */
export class WebhookSender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(private readonly options: WebhookOptions) {}

  send(url: string, secret: string, event: string, payload: Record<string, unknown>): void {
    if (this.abort.signal.aborted) return;
    const delivery = this.deliver(url, secret, event, payload).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  /** Resolves when every queued delivery has finished (for tests and graceful shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.drain();
  }

  private async deliver(url: string, secret: string, event: string, payload: Record<string, unknown>): Promise<void> {
    const deliveryId = randomUUID();
    const body = JSON.stringify({ event, deliveryId, sentAt: new Date().toISOString(), ...payload });
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'portcullis-budgets',
      'x-portcullis-event': event,
      'x-portcullis-delivery': deliveryId,
      'x-portcullis-signature': signWebhookBody(secret, body),
    };
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt += 1) {
      if (this.abort.signal.aborted) return;
      try {
        const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.timeoutMs)]);
        const res = await this.options.post(url, { headers, body, signal });
        if (res.status >= 200 && res.status < 300) return;
        lastProblem = `HTTP ${res.status}`;
        if (!isRetryableStatus(res.status)) break;
      } catch (err) {
        const refused = ssrfRefusal(err);
        if (refused) {
          // An internal address stays internal: retrying cannot help, and must not be tried.
          lastProblem = `refused: ${refused}`;
          break;
        }
        lastProblem = err instanceof Error ? err.name : 'network error';
      }
      if (attempt < this.options.maxAttempts) await this.backoff(attempt);
    }
    if (!this.abort.signal.aborted) {
      // The URL may carry a token in its query: log the origin only.
      this.options.logger.warn({ event, deliveryId, target: new URL(url).origin, problem: lastProblem }, 'budget webhook delivery failed');
    }
  }

  private backoff(attempt: number): Promise<void> {
    const base = this.options.baseDelayMs * 2 ** (attempt - 1);
    const delay = base + Math.random() * base * 0.2;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}
