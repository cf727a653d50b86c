/**
 * One attempt's cancellation. Four things abort the same fetch and body read; `reason` names the first that did:
 * the caller's signal, the per-attempt timeout, the overall deadline (an attempt's time cut short by it), or a
 * stream's idle timeout. The error a failed read becomes is chosen from that name.
 */
import { clock } from "./clock";
import { AbortError, type OpenRouterErrorInit } from "./errors/classes";

export type AbortReason = "caller" | "attempt-timeout" | "total-timeout" | "idle-timeout";

export interface AttemptAbort {
  /** Passed to fetch: aborts the request and the body read. */
  readonly signal: AbortSignal;
  /** The first named abort, or undefined (none yet, or only a plain cancel such as `break` out of a stream). */
  reason: AbortReason | undefined;
  abort(reason?: AbortReason): void;
  /** Stops the attempt timer (a stream's headers arrived: from here its idle timeout applies). */
  stopTimer(): void;
  /** Stops the timer and detaches from the caller's signal: the attempt has settled. */
  release(): void;
}

/**
 * Arms an attempt: aborted by `signal`, or after `limitMs`, which is the attempt's `attemptMs` unless the overall
 * deadline leaves less (then it is the deadline that fires).
 */
export function attemptAbort(signal: AbortSignal | null | undefined, limitMs: number, attemptMs: number): AttemptAbort {
  const ac = new AbortController();
  const a: AttemptAbort = {
    signal: ac.signal,
    reason: undefined,
    abort(r) {
      a.reason ??= r;
      ac.abort();
    },
    stopTimer: clock.timer(limitMs, () => a.abort(limitMs < attemptMs ? "total-timeout" : "attempt-timeout")),
    release() {
      a.stopTimer();
      signal?.removeEventListener("abort", onCaller);
    },
  };
  const onCaller = () => a.abort("caller");
  signal?.addEventListener("abort", onCaller);
  return a;
}

/** The error for the caller's abort: `cause` is the signal's reason. */
export function abortError(
  signal: AbortSignal | null | undefined,
  message = "Request aborted",
  init: OpenRouterErrorInit = {},
): AbortError {
  return new AbortError(message, { ...init, cause: signal?.reason });
}
