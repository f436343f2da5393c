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
 */
export async function admit(inputs: AdmissionInput[], now: () => number): Promise<Admission> {
  for (const input of inputs) {
    const tpm = input.config.tpm;
    if (tpm !== undefined && input.tokenEstimate > tpm) {
      throw new GatewayError('GW_ERR_RATE_LIMITED', {
        message: `Request too large: it may use ${input.tokenEstimate} tokens, above the limit of ${tpm} tokens per minute. Reduce the prompt or max_tokens.`,
        details: { policyId: input.policy.id, tokenEstimate: input.tokenEstimate, tpm },
      });
    }
  }

  const planned = inputs.flatMap((input) =>
    input.windows
      .map((window) => ({ window, points: window.metric === 'requests' ? 1 : input.tokenEstimate }))
      .filter((p) => p.points > 0),
  );
  const attempts: Attempt[] = await Promise.all(
    planned.map(async (p) => ({ ...p, outcome: await p.window.consume(p.points) })),
  );

  const unavailable = attempts.some((a) => a.outcome.status === 'unavailable');
  const rejected = attempts.filter((a) => a.outcome.status === 'rejected');
  if (unavailable || rejected.length > 0) {
    await rollBack(attempts);
    if (unavailable) throw new GatewayError('GW_ERR_LIMITER_UNAVAILABLE');
    const waitMs = Math.max(...rejected.map((a) => (a.outcome.status === 'rejected' ? a.outcome.msBeforeReset : 0)));
    const retryAfter = retryAfterSeconds(waitMs);
    throw new GatewayError('GW_ERR_RATE_LIMITED', {
      retryAfterMs: retryAfter * 1000,
      headers: { ...rateLimitHeaders(attempts), 'retry-after': String(retryAfter) },
      details: { windows: rejected.map((a) => a.window.name) },
    });
  }

  const at = now();
  const reservations = attempts
    .filter((a) => a.window.metric === 'tokens' && a.outcome.status === 'admitted')
    .map((a) => ({
      window: a.window,
      points: a.points,
      backend: a.outcome.status === 'admitted' ? a.outcome.backend : 'local',
      windowEndsAt: at + (a.outcome.status === 'admitted' ? a.outcome.msBeforeReset : 0),
    }));
  return { reservations, headers: rateLimitHeaders(attempts) };
}

async function rollBack(attempts: Attempt[]): Promise<void> {
  await Promise.all(
    attempts.map(async (a) => {
      // Rejected consumes were counted too (increment, then compare): give both back.
      if (a.outcome.status === 'unavailable') return;
      await a.window.refund(a.points, a.outcome.backend);
    }),
  );
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
export async function reconcile(reservations: readonly TokenReservation[], actualTokens: number, now: number): Promise<void> {
  await Promise.all(
    reservations.map(async (r) => {
      const difference = actualTokens - r.points;
      if (difference > 0) await r.window.charge(difference, r.backend);
      else if (difference < 0 && now < r.windowEndsAt) await r.window.refund(-difference, r.backend);
    }),
  );
}
