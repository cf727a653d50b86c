// SSE transcript helpers: split Prism's one-body example into events and re-emit them one by one with pacing.
import type { ServerResponse } from "node:http";

/** Splits an SSE transcript on blank lines. Each returned event has no trailing blank line. */
export function splitEvents(transcript: string): string[] {
  return (
    transcript
      .split(/\r?\n\r?\n/)
      // Leading and trailing line breaks are framing, not content: the writer adds exactly one blank line per event,
      // so the transcript ends `data: [DONE]\n\n` like a real stream (a YAML block's final newline must not add a
      // third).
      .map((e) => e.replace(/^(?:\r?\n)+/, "").replace(/(?:\r?\n)+$/, ""))
      .filter((e) => e.trim() !== "")
  );
}

/** The `id` of the first JSON `data:` event, if any (used for the X-Generation-Id header). */
export function firstDataId(events: string[]): string | undefined {
  for (const ev of events) {
    for (const line of ev.split(/\r?\n/)) {
      if (!line.startsWith("data:")) continue;
      const payload = line.slice(5).trim();
      if (payload === "[DONE]") return undefined;
      try {
        const obj = JSON.parse(payload) as { id?: unknown };
        return typeof obj.id === "string" ? obj.id : undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export interface StreamWriter {
  /** Resolves when the transcript is fully written (true) or the client went away (false). */
  done: Promise<boolean>;
  /** Stops writing and clears the pending timer. Idempotent. */
  cancel(): void;
  /** True while a timer for the next event is pending. */
  readonly pending: boolean;
}

/**
 * Writes each event followed by a blank line. The first event goes out at once, the next ones `delayMs` apart.
 * Each write is a separate chunk (Nagle is disabled by the caller), so clients see events as they are written.
 * A closed response (client disconnect) stops the writer and clears its timer.
 */
export function writeEvents(res: ServerResponse, events: string[], delayMs: number): StreamWriter {
  let i = 0;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  let resolveDone!: (ok: boolean) => void;
  const done = new Promise<boolean>((r) => (resolveDone = r));
  const finish = (ok: boolean) => {
    if (finished) return;
    finished = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    res.off("close", onClose);
    resolveDone(ok);
  };
  const socket = res.socket;
  const onClose = () => {
    const ok = res.writableFinished;
    finish(ok);
    // The client went away mid-stream: make sure its socket goes too (a half-closed socket can linger otherwise).
    if (!ok) socket?.destroy();
  };
  res.on("close", onClose);
  const step = () => {
    timer = undefined;
    if (finished) return;
    if (res.destroyed || res.writableEnded) return finish(false);
    if (delayMs <= 0) {
      let all = "";
      for (; i < events.length; i++) all += `${events[i]}\n\n`;
      res.end(all);
      return finish(true);
    }
    res.write(`${events[i++]}\n\n`);
    if (i >= events.length) {
      res.end();
      return finish(true);
    }
    timer = setTimeout(step, delayMs);
  };
  step();
  return {
    done,
    cancel: () => {
      finish(false);
      if (!res.writableEnded) res.destroy();
    },
    get pending() {
      return timer !== undefined;
    },
  };
}
