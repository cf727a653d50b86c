// The capture format of real recorded traffic (one exchange per .json file: `../shared/captures`, and any folder laid
// out the same way) read as exchange records, so `check`, `replay` and the tests treat captures and our own JSONL
// records alike. Browser-safe: no node: imports (the folder walk lives in src/cli/inputs.ts).
import type { ExchangeRecord } from "./types";
import type { LineResult } from "./exchange";
import { REDACTED } from "./record";
import { isJsonObject } from "../spec/pointer";

/** One capture file: the request the client sent and what OpenRouter answered (JSON `body` or raw `sse` text). */
export interface Capture {
  source?: { repo?: string; path?: string; commit?: string; recorded?: string };
  request: { method: string; url: string; body?: unknown };
  response: { status: number; content_type?: string; body?: unknown; sse?: string };
}

/** True when `v` looks like a capture (and not an exchange record, which carries `"v": 1`). */
export function isCapture(v: unknown): v is Capture {
  return (
    isJsonObject(v) &&
    v.v === undefined &&
    isJsonObject(v.request) &&
    isJsonObject(v.response) &&
    "status" in v.response
  );
}

/** Convert a parsed capture into an exchange record; `id` names it in reports (usually its path). */
export function captureToExchange(v: unknown, id?: string): LineResult {
  if (!isCapture(v)) return { ok: false, error: "not a capture: needs request {method, url} and response {status}" };
  const { request: req, response: res } = v;
  if (typeof req.method !== "string" || typeof req.url !== "string")
    return { ok: false, error: "capture request.method and request.url must be strings" };
  if (typeof res.status !== "number") return { ok: false, error: "capture response.status must be a number" };
  if (res.sse !== undefined && typeof res.sse !== "string")
    return { ok: false, error: "capture response.sse must be the raw event-stream text" };
  const contentType = typeof res.content_type === "string" ? res.content_type : undefined;
  // Capture files drop request headers. Every capture got a live answer, so a key and a JSON body were sent: say so
  // (redacted) rather than have every capture fail the required-header check.
  const headers = { authorization: REDACTED, "content-type": "application/json" };
  const rec: ExchangeRecord = {
    v: 1,
    request: { method: req.method, url: req.url, headers },
    response: { status: res.status, headers: contentType ? { "content-type": contentType } : {}, complete: true },
  };
  if (id !== undefined) rec.id = id;
  if (v.source?.recorded !== undefined) rec.ts = String(v.source.recorded);
  if (req.body !== undefined) rec.request.body = req.body;
  if (res.sse !== undefined) rec.response!.bodyText = res.sse;
  else if (typeof res.body === "string") rec.response!.bodyText = res.body;
  else if (res.body !== undefined) rec.response!.body = res.body;
  return { ok: true, record: rec };
}
