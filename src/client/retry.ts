/**
 * Retry policy: which failures are retried, how long to wait, and an abortable sleep.
 *
 * - Retried: HTTP 408, 409, 429, every 5xx, network errors and per-attempt timeouts, before any byte of a stream
 *   has been handed to the caller. Never retried: other 4xx, in-band/mid-stream errors, caller aborts.
 * - Wait: the server's `retry-after-ms` (milliseconds) or `Retry-After` (seconds or HTTP date) when present;
 *   otherwise exponential backoff `min(maxDelayMs, initialDelayMs * 2^attempt)` minus up to 25% jitter.
 * - If the wait would end past the overall deadline, the client gives up at once with the last error instead of
 *   sleeping into a timeout.
 */

/** HTTP statuses that are retried. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** HTTP delay-seconds: digits (a fraction tolerated); no sign, exponent, hex ("0x10") or "Infinity". */
const DELAY = /^\s*\d+(\.\d+)?\s*$/;

/** Server-requested delay in ms from `retry-after-ms` or `Retry-After` (seconds or HTTP date); undefined if absent/invalid. */
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
export function backoffDelay(attempt: number, initialDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const d = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt);
  return d * (1 - random() * 0.25);
}

/** Longest delay `setTimeout` takes (longer ones fire after 1 ms with a TimeoutOverflowWarning). */
const MAX_TIMER = 2 ** 31 - 1;

/** Resolves after `ms` (any length); rejects at once with `signal.reason` when `signal` aborts (or had aborted). */
export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    let t: ReturnType<typeof setTimeout>;
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    const arm = (left: number): void => {
      t = setTimeout(() => {
        if (left > MAX_TIMER) return arm(left - MAX_TIMER);
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, Math.min(left, MAX_TIMER));
    };
    arm(ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
