/**
 * The retry loop and its time source without a network: which abort reason each limit produces, what is retried,
 * and the clock's timers past setTimeout's 2^31-1 ms limit. The same loop over HTTP: faults.test.ts.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AttemptAbort } from "../../src/client/abort";
import { clock } from "../../src/client/clock";
import { AbortError, ServerError, TimeoutError } from "../../src/client/index";
import { retryRequest, type RetryPolicy } from "../../src/client/retry";
import { useFakeClock } from "../support/fake-clock";

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const policy = (p: Partial<RetryPolicy> = {}): RetryPolicy => ({
  signal: undefined,
  timeoutMs: 200,
  totalTimeoutMs: 200,
  maxRetries: 2,
  retryInitialDelayMs: 50,
  retryMaxDelayMs: 1000,
  ...p,
});

/** An attempt that never answers: it fails with a TimeoutError once its abort fires, and records the reason. */
function hangingAttempt(reasons: Array<AttemptAbort["reason"]>) {
  return (abort: AttemptAbort) =>
    new Promise<never>((_, reject) =>
      abort.signal.addEventListener("abort", () => {
        reasons.push(abort.reason);
        reject(abort.reason === "caller" ? new AbortError("aborted") : new TimeoutError(String(abort.reason)));
      }),
    );
}

describe("abort reasons", () => {
  it("an attempt cut short by the deadline ends on 'total-timeout' and is not retried", async () => {
    const fake = useFakeClock({ fireTimers: true });
    const reasons: Array<AttemptAbort["reason"]> = [];
    const p = policy({ timeoutMs: 200, totalTimeoutMs: 120 });
    await expect(retryRequest(p, hangingAttempt(reasons))).rejects.toThrow("total-timeout");
    expect(reasons).toEqual(["total-timeout"]);
    expect(fake.timers).toEqual([120]);
  });

  it("an attempt timeout ('attempt-timeout') is retried until the retries run out", async () => {
    const fake = useFakeClock({ fireTimers: true });
    const reasons: Array<AttemptAbort["reason"]> = [];
    const p = policy({ timeoutMs: 100, totalTimeoutMs: 10_000 });
    await expect(retryRequest(p, hangingAttempt(reasons))).rejects.toThrow("attempt-timeout");
    expect(reasons).toEqual(["attempt-timeout", "attempt-timeout", "attempt-timeout"]);
    expect(fake.sleeps).toEqual([50, 100]);
  });

  it("the caller's signal ends the attempt on 'caller' and is not retried", async () => {
    useFakeClock();
    const ac = new AbortController();
    const reasons: Array<AttemptAbort["reason"]> = [];
    const run = retryRequest(policy({ signal: ac.signal }), hangingAttempt(reasons));
    ac.abort();
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(reasons).toEqual(["caller"]);
  });

  it("the caller's abort during a backoff wait rejects with AbortError carrying the signal's reason", async () => {
    const ac = new AbortController();
    const why = new Error("user left");
    let n = 0;
    const p = policy({
      signal: ac.signal,
      totalTimeoutMs: 60_000,
      retryInitialDelayMs: 30_000,
      retryMaxDelayMs: 30_000,
    });
    const run = retryRequest(p, async () => {
      if (++n === 1) setTimeout(() => ac.abort(why), 0);
      throw new ServerError("503 busy", { status: 503 });
    });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    expect((err as AbortError).cause).toBe(why);
    expect(n).toBe(1);
  });
});

describe("what is retried", () => {
  it("a retryable status (503) is retried with the server's hint over the backoff; a 400 is not", async () => {
    const fake = useFakeClock();
    let n = 0;
    const ok = await retryRequest(policy({ totalTimeoutMs: 10_000 }), async () => {
      if (++n < 3) throw new ServerError("503 busy", { status: 503, retryAfterMs: n === 1 ? 700 : undefined });
      return "done";
    });
    expect(ok).toBe("done");
    expect(fake.sleeps).toEqual([700, 100]);
    let m = 0;
    const bad = new ServerError("400 bad", { status: 400 });
    await expect(
      retryRequest(policy(), async () => {
        m++;
        throw bad;
      }),
    ).rejects.toBe(bad);
    expect(m).toBe(1);
  });
});

describe("clock", () => {
  it("timer() waits past 2^31-1 ms in pieces instead of firing after 1 ms; its cancel stops it", () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    clock.timer(2 ** 31 + 5, fired);
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(6);
    expect(fired).toHaveBeenCalledOnce();
    const cancelled = vi.fn();
    clock.timer(10, cancelled)();
    vi.advanceTimersByTime(20);
    expect(cancelled).not.toHaveBeenCalled();
  });

  it("sleep() resolves after its delay and rejects at once with the signal's reason", async () => {
    vi.useFakeTimers();
    const done = vi.fn();
    void clock.sleep(1000).then(done);
    await vi.advanceTimersByTimeAsync(999);
    expect(done).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toHaveBeenCalledOnce();
    const ac = new AbortController();
    const p = clock.sleep(60_000, ac.signal);
    ac.abort("stop");
    await expect(p).rejects.toBe("stop");
    await expect(clock.sleep(1, ac.signal)).rejects.toBe("stop");
  });
});
