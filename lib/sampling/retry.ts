// When to retry a request to an inference server, and how long to wait first: 429 and 5xx (and
// timeouts / dropped connections) are retried with exponential back-off and seeded jitter; a
// Retry-After header, when present, is the least the client waits.
import type { Rng } from '../util';

export interface RetryPolicy {
  /** Retries after the first attempt (so maxRetries + 1 attempts at most). */
  maxRetries: number;
  /** First back-off in ms; attempt a waits about baseMs * 2^a. */
  baseMs: number;
  /** Cap on one back-off in ms (Retry-After is capped separately by maxRetryAfterMs). */
  maxMs: number;
  /** Cap on a server's Retry-After in ms (a misconfigured server must not stall a run for hours). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 120_000 };

/** 429 (rate limited) and 5xx (overloaded, restarting) are worth another try; other 4xx are the caller's fault. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Retry-After in ms: delta-seconds ("3") or an HTTP date; null when absent or unreadable.
 * `nowMs` is injected so tests need no clock.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const h = header.trim();
  if (/^\d+(\.\d+)?$/.test(h)) return Math.round(Number(h) * 1000);
  const date = Date.parse(h);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/**
 * The wait before retry number `attempt` (0 = the first retry): "equal jitter", half fixed and half drawn
 * from `rng`, so clients that failed together do not retry together. A server's Retry-After replaces it
 * (the server knows best when it will have room), capped at policy.maxRetryAfterMs.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, rng: Rng, retryAfterMs: number | null): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  const jittered = exp / 2 + (exp / 2) * rng.next();
  if (retryAfterMs === null) return Math.round(jittered);
  return Math.round(Math.max(Math.min(retryAfterMs, policy.maxRetryAfterMs), 0));
}
