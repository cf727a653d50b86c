// The stream checks of one exchange as the proxy drives them: fed decoded bytes in order, then ended once. They run
// in the check worker (check-worker.ts) or, as here, in this thread between I/O callbacks.
import type { Contract } from "../../conformance/contract";
import type { MediaSpec } from "../../spec/operations";
import { StreamChecker, type StreamCheckOptions } from "../../conformance/sse";
import type { Mode, Violation } from "../../conformance/types";
import { Utf8Stream } from "./utf8";

export interface SseChecks {
  /** `spare`: nothing else holds b, so the checks may keep it (the worker takes its memory instead of a copy). */
  feed(b: Buffer, spare?: boolean): void;
  /** True while the checks are too far behind to take more (the caller waits for `wake`). */
  busy(): boolean;
  end(complete: boolean, done: (all: Violation[], fresh: Violation[]) => void): void;
}

/** Stream checks in this thread (between I/O callbacks: the server's pump feeds them in slices). */
export function localChecks(
  contract: Contract,
  media: MediaSpec,
  mode: Mode,
  live: (vs: Violation[]) => void,
): SseChecks {
  const o: StreamCheckOptions = { mode };
  const c = new StreamChecker(contract, media, o);
  const td = new Utf8Stream();
  return {
    feed(b) {
      c.feed(td.decode(b));
      live(c.takeNew());
    },
    busy: () => false,
    end(complete, done) {
      c.feed(td.end());
      o.complete = complete;
      const all = c.end();
      done(all, c.takeNew());
    },
  };
}
