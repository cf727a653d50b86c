// Node-only: write a recorded response back as it was recorded: status, headers that still mean something, the JSON
// body, or the event-stream text event by event (one write per event, optionally paced), and a recording that was
// cut short (complete: false) ends the same way: the recorded bytes, then the connection is dropped.
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { REDACTED } from "../conformance/record";
import type { ExchangeRecord } from "../conformance/types";

// Framing headers describe the original connection, not the body we send; content-encoding is dropped because the
// recorded body is already decoded.
const NOT_REPLAYED = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "date",
  "set-cookie",
  "alt-svc",
  "upgrade",
  "trailer",
]);

/** The recorded response headers to send again: no framing, nothing redacted. */
export function replayHeaders(res: NonNullable<ExchangeRecord["response"]>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(res.headers ?? {})) {
    const name = k.toLowerCase();
    if (NOT_REPLAYED.has(name) || typeof v !== "string" || v.includes(REDACTED)) continue;
    out[name] = v;
  }
  if (!out["content-type"] && res.body !== undefined) out["content-type"] = "application/json";
  return out;
}

/** The bytes of a recorded body: SSE and other text as recorded, JSON compact (as OpenRouter sends it). */
export function bodyText(res: NonNullable<ExchangeRecord["response"]>): string {
  if (typeof res.bodyText === "string") return res.bodyText;
  return res.body === undefined ? "" : JSON.stringify(res.body);
}

/** Splits event-stream text after each blank line; the pieces concatenate back to the input exactly. */
export function sseEvents(text: string): string[] {
  return text.split(/(?<=\r?\n\r?\n)/).filter((s) => s !== "");
}

export interface Playback {
  /** Resolves when the response is written (true) or the client went away / the server closed (false). */
  done: Promise<boolean>;
  cancel(): void;
}

/** Send `res` (a recorded response); event streams one event per write, `paceMs` apart; `extra` headers added. */
export function play(
  out: ServerResponse,
  rec: NonNullable<ExchangeRecord["response"]>,
  paceMs = 0,
  extra: OutgoingHttpHeaders = {},
): Playback {
  const headers = { ...replayHeaders(rec), ...extra };
  const text = bodyText(rec);
  const complete = rec.complete !== false;
  const isSse = /text\/event-stream/i.test(String(headers["content-type"] ?? ""));
  let timer: NodeJS.Timeout | undefined;
  let finish: (ok: boolean) => void = () => {};
  const done = new Promise<boolean>((r) => (finish = r));
  const end = () => {
    if (complete) out.end(() => finish(true));
    else {
      // The recording stopped here: so does the answer (the client sees the connection drop mid-body).
      out.write("", () => {
        out.socket?.destroy();
        finish(true);
      });
    }
  };
  out.on("close", () => {
    if (timer) clearTimeout(timer);
    finish(false);
  });
  if (!isSse) {
    if (complete) headers["content-length"] = Buffer.byteLength(text);
    out.writeHead(rec.status, headers);
    if (text) out.write(text);
    end();
    return { done, cancel: () => out.destroy() };
  }
  out.writeHead(rec.status, headers);
  out.flushHeaders();
  out.socket?.setNoDelay(true);
  const events = sseEvents(text);
  let i = 0;
  const step = () => {
    timer = undefined;
    if (out.destroyed) return;
    if (i >= events.length) return end();
    out.write(events[i++]!);
    if (i >= events.length) return end();
    if (paceMs > 0) timer = setTimeout(step, paceMs);
    else setImmediate(step);
  };
  step();
  return {
    done,
    cancel: () => {
      if (timer) clearTimeout(timer);
      out.destroy();
    },
  };
}
