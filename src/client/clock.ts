/**
 * Time as the request pipeline sees it: the clock for the overall deadline, the jitter source, backoff waits and
 * attempt timers. One object, internal (not exported by the package): tests replace its functions to assert the
 * delays the retry loop asks for exactly, instead of measuring elapsed time. A stream's idle timeout uses the real
 * timers directly, since there the real timer is the behaviour under test.
 */

/** Longest delay `setTimeout` takes (longer ones fire after 1 ms with a TimeoutOverflowWarning). */
const MAX_TIMER = 2 ** 31 - 1;

export const clock = {
  now: Date.now,
  random: Math.random,
  /** Calls `fn` after `ms` (any finite length; Infinity never fires); returns the function that cancels it. */
  timer(ms: number, fn: () => void): () => void {
    let t: ReturnType<typeof setTimeout> | undefined;
    const arm = (left: number): void => {
      t = setTimeout(() => (left > MAX_TIMER ? arm(left - MAX_TIMER) : fn()), Math.min(left, MAX_TIMER));
    };
    if (ms < Infinity) arm(ms);
    return () => clearTimeout(t);
  },
  /** Resolves after `ms`; rejects at once with `signal.reason` when `signal` aborts (or had aborted). */
  sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        cancel();
        reject(signal!.reason);
      };
      const cancel = clock.timer(ms, () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      });
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};
