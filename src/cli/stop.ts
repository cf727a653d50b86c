// When a long-running command (proxy, replay) stops: when `io.stop` aborts (tests, embedders), else on SIGINT or
// SIGTERM; `stop()` ends it from inside (replay's --exit-after, a failed start). Signal handlers are removed on stop.
import type { Io } from "./args";

export function untilStopped(io: Io): { wait: Promise<void>; stop: () => void } {
  let stop: () => void = () => {};
  const wait = new Promise<void>((resolve) => {
    if (io.stop) {
      stop = resolve;
      if (io.stop.aborted) resolve();
      else io.stop.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    const onSignal = () => stop();
    stop = () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  return { wait, stop };
}
