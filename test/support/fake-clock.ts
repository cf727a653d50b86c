/**
 * A fake for the client's clock (src/client/clock.ts), so retry tests assert the delays the client asks for instead
 * of measuring elapsed time. Backoff waits are recorded and resolve at once (a caller's abort still rejects them),
 * moving the fake time forward by the wait; jitter is fixed by `random` (0: none, 1: the full 25%).
 * Attempt timers stay real unless `fireTimers` is set: then each is recorded and fires on the next macrotask,
 * moving the fake time forward by its delay, so a hung server times out at once.
 * Restore with `vi.restoreAllMocks()`.
 */
import { vi } from "vitest";
import { clock } from "../../src/client/clock";

export interface FakeClock {
  /** Every backoff wait the client asked for, ms, in order. */
  sleeps: number[];
  /** Every attempt timer armed, ms, in order (recorded only with `fireTimers`). */
  timers: number[];
}

export function useFakeClock({ random = 0, fireTimers = false } = {}): FakeClock {
  let now = Date.now();
  const fake: FakeClock = { sleeps: [], timers: [] };
  vi.spyOn(clock, "now").mockImplementation(() => now);
  vi.spyOn(clock, "random").mockImplementation(() => random);
  vi.spyOn(clock, "sleep").mockImplementation(async (ms, signal) => {
    if (signal?.aborted) throw signal.reason;
    fake.sleeps.push(ms);
    now += ms;
  });
  if (fireTimers) {
    vi.spyOn(clock, "timer").mockImplementation((ms, fn) => {
      fake.timers.push(ms);
      const t = setTimeout(() => {
        now += ms;
        fn();
      }, 0);
      return () => clearTimeout(t);
    });
  }
  return fake;
}
