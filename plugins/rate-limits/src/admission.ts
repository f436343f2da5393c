import { GatewayError, type PolicyRecord } from '@portcullis/core';
import type { RateLimitPolicyConfig } from './policy-config';
import { formatResetDuration, retryAfterSeconds } from './reset-duration';
import type { Backend, ConsumeOutcome, Metric, WindowLimiter } from './window-limiter';

/** Tokens held in a TPM window until the response's real usage is known. */
export interface TokenReservation {
  window: WindowLimiter;
  backend: Backend;
  points: number;
  /** Epoch ms when the window the points went into ends; refunds after that are skipped. */
  windowEndsAt: number;
}

export interface AdmissionInput {
  policy: PolicyRecord;
  config: RateLimitPolicyConfig;
  windows: WindowLimiter[];
  /** Tokens to reserve in this policy's TPM window (0: the request has no token cost). */
  tokenEstimate: number;
}

export interface Admission {
  reservations: TokenReservation[];
  headers: Record<string, string>;
}

interface Attempt {
  window: WindowLimiter;
  points: number;
  outcome: ConsumeOutcome;
}

/**
 * Consumes every applicable window of every policy (in parallel: one Redis round trip of
 * latency), all or nothing. If any window refuses, what the others took is given back, so a
 * refused request costs nobody capacity. A window admits only while its counter, after the
 * atomic increment, is within the limit: N instances sharing Redis admit exactly `limit`.
 *
 * Answers synchronously when every window is in-process (no Redis): that is every request of a
 * single-instance gateway, and a promise per window there would be pure overhead.
 */
export function admit(inputs: AdmissionInput[], now: () => number): Admission | Promise<Admission> {
  const attempts: Attempt[] = [];
  const pending: Promise<void>[] = [];
  for (const input of inputs) {
    const tpm = input.config.tpm;
    if (tpm !== undefined && input.tokenEstimate > tpm) {
      throw new GatewayError('GW_ERR_RATE_LIMITED', {
        message: `Request too large: it may use ${input.tokenEstimate} tokens, above the limit of ${tpm} tokens per minute. Reduce the prompt or max_tokens.`,
        details: { policyId: input.policy.id, tokenEstimate: input.tokenEstimate, tpm },
      });
    }
  }
  for (const input of inputs) {
    for (const window of input.windows) {
      const points = window.metric === 'requests' ? 1 : input.tokenEstimate;
      if (points <= 0) continue;
      const outcome = window.consume(points);
      if (outcome instanceof Promise) {
        const attempt: Attempt = { window, points, outcome: { status: 'unavailable' } };
        attempts.push(attempt);
        pending.push(outcome.then((settled) => void (attempt.outcome = settled)));
      } else attempts.push({ window, points, outcome });
    }
  }
  if (pending.length === 0) return decide(attempts, now);
  return Promise.all(pending).then(() => decide(attempts, now));
}

/** All consumes are in: admit with headers and reservations, or give everything back and refuse. */
function decide(attempts: Attempt[], now: () => number): Admission | Promise<Admission> {
  let unavailable = false;
  let rejected = false;
  let waitMs = 0;
  for (const a of attempts) {
    if (a.outcome.status === 'unavailable') unavailable = true;
    else if (a.outcome.status === 'rejected') {
      rejected = true;
      waitMs = Math.max(waitMs, a.outcome.msBeforeReset);
    }
  }
  if (unavailable || rejected) {
    const refuse = (): never => {
      if (unavailable) throw new GatewayError('GW_ERR_LIMITER_UNAVAILABLE');
      const retryAfter = retryAfterSeconds(waitMs);
      throw new GatewayError('GW_ERR_RATE_LIMITED', {
        retryAfterMs: retryAfter * 1000,
        headers: { ...rateLimitHeaders(attempts), 'retry-after': String(retryAfter) },
        details: { windows: attempts.filter((a) => a.outcome.status === 'rejected').map((a) => a.window.name) },
      });
    };
    const rolledBack = rollBack(attempts);
    return rolledBack ? rolledBack.then(refuse) : refuse();
  }

  const at = now();
  const reservations: TokenReservation[] = [];
  for (const a of attempts) {
    if (a.window.metric !== 'tokens' || a.outcome.status !== 'admitted') continue;
    reservations.push({ window: a.window, points: a.points, backend: a.outcome.backend, windowEndsAt: at + a.outcome.msBeforeReset });
  }
  return { reservations, headers: rateLimitHeaders(attempts) };
}

/** Gives back every counted consume; a promise only when some of them went to Redis. */
function rollBack(attempts: Attempt[]): Promise<void> | null {
  const pending: Promise<void>[] = [];
  for (const a of attempts) {
    // Rejected consumes were counted too (increment, then compare): give both back.
    if (a.outcome.status === 'unavailable') continue;
    const refunded = a.window.refund(a.points, a.outcome.backend);
    if (refunded) pending.push(refunded);
  }
  return pending.length > 0 ? Promise.all(pending).then(() => undefined) : null;
}

/** OpenAI-style headers from the tightest window of each metric (least remaining). */
export function rateLimitHeaders(attempts: readonly Attempt[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const metric of ['requests', 'tokens'] as Metric[]) {
    let tightest: { limit: number; remaining: number; msBeforeReset: number } | null = null;
    for (const a of attempts) {
      if (a.window.metric !== metric || a.outcome.status === 'unavailable') continue;
      const o = a.outcome;
      if (!tightest || o.remaining < tightest.remaining || (o.remaining === tightest.remaining && o.msBeforeReset > tightest.msBeforeReset)) {
        tightest = { limit: o.limit, remaining: o.remaining, msBeforeReset: o.msBeforeReset };
      }
    }
    if (!tightest) continue;
    headers[`x-ratelimit-limit-${metric}`] = String(tightest.limit);
    headers[`x-ratelimit-remaining-${metric}`] = String(Math.max(0, tightest.remaining));
    headers[`x-ratelimit-reset-${metric}`] = formatResetDuration(tightest.msBeforeReset);
  }
  return headers;
}

/**
 * After the response: moves each reservation to the tokens really used. Extra usage is charged
 * (it was consumed, even if that overruns the window by one request's estimate error); unused
 * tokens are given back only while the window they were taken from still runs, because a refund
 * into a newer window would hand out capacity that was never taken from it.
 */
export function reconcile(reservations: readonly TokenReservation[], actualTokens: number, now: number): void | Promise<void> {
  const pending: Promise<void>[] = [];
  for (const r of reservations) {
    const difference = actualTokens - r.points;
    const adjusted =
      difference > 0 ? r.window.charge(difference, r.backend) : difference < 0 && now < r.windowEndsAt ? r.window.refund(-difference, r.backend) : undefined;
    if (adjusted) pending.push(adjusted);
  }
  if (pending.length > 0) return Promise.all(pending).then(() => undefined);
}
