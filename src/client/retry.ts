/**
 * Retries: which failures are retried, how long to wait, and the loop that runs the attempts.
 *
 * - Retried: HTTP 408, 409, 429, every 5xx, network errors and per-attempt timeouts, before any byte of a stream
 *   has been handed to the caller. Never retried: other 4xx, in-band/mid-stream errors, caller aborts, the deadline.
 * - Wait: the server's `retry-after-ms` (milliseconds) or `Retry-After` (seconds or HTTP date) when present;
 *   otherwise exponential backoff `min(maxDelayMs, initialDelayMs * 2^attempt)` minus up to 25% jitter.
 * - If the wait would end past the overall deadline, the client gives up at once with the last error instead of
 *   sleeping into a timeout.
 */
import { abortError, attemptAbort, type AttemptAbort } from "./abort";
import { clock } from "./clock";
import { ConnectionError, OpenRouterError, TimeoutError } from "./errors/classes";

/** HTTP statuses that are retried. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** HTTP delay-seconds: digits (a fraction tolerated); no sign, exponent, hex ("0x10") or "Infinity". */
const DELAY = /^\s*\d+(\.\d+)?\s*$/;

/**
 * Server-requested delay in ms from `retry-after-ms` or `Retry-After` (seconds or HTTP date); undefined if
 * absent or invalid.
 */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms && DELAY.test(ms)) return Number(ms);
  const ra = headers.get("retry-after");
  if (!ra) return undefined;
  if (DELAY.test(ra)) return Number(ra) * 1000;
  // An HTTP date starts with the day name; Date.parse alone takes "-100" for the year -100 (an immediate retry).
  const date = /^\s*[a-z]/i.test(ra) ? Date.parse(ra) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Backoff for retry number `attempt` (0-based), with up to 25% jitter subtracted. */
export function backoffDelay(
  attempt: number,
  initialDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const d = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt);
  return d * (1 - random() * 0.25);
}

/** The limits of one call's attempts: the client's options of these names, overridden by the call's. */
export interface RetryPolicy {
  /** Cancels the attempts and the waits between them. */
  signal: AbortSignal | null | undefined;
  /** Per attempt. */
  timeoutMs: number;
  /** All attempts and waits together. */
  totalTimeoutMs: number;
  maxRetries: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
}

/** Whether a failed attempt may be retried: a network error, an attempt timeout, or a retryable status. */
const isRetryable = (e: unknown): e is OpenRouterError =>
  e instanceof ConnectionError ||
  e instanceof TimeoutError ||
  (e instanceof OpenRouterError && isRetryableStatus(e.status ?? 0));

/**
 * Runs `attempt` until it succeeds or fails for good. Each attempt gets its own abort, armed with the attempt's
 * limit (the deadline's rest, if less); between attempts the loop waits the server's hint or the backoff.
 */
export async function retryRequest<T>(p: RetryPolicy, attempt: (abort: AttemptAbort) => Promise<T>): Promise<T> {
  const deadline = clock.now() + p.totalTimeoutMs;
  for (let n = 0; ; n++) {
    const abort = attemptAbort(p.signal, Math.min(p.timeoutMs, deadline - clock.now()), p.timeoutMs);
    let err: OpenRouterError;
    try {
      return await attempt(abort);
    } catch (e) {
      abort.release();
      if (abort.reason === "total-timeout" || !isRetryable(e)) throw e;
      err = e;
    }
    if (n >= p.maxRetries) throw err;
    const wait = err.retryAfterMs ?? backoffDelay(n, p.retryInitialDelayMs, p.retryMaxDelayMs, clock.random);
    if (clock.now() + wait >= deadline) throw err;
    try {
      await clock.sleep(wait, p.signal);
    } catch {
      throw abortError(p.signal);
    }
  }
}
