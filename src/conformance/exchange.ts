import type { ExchangeRecord } from "./types";
import { isSecretName, REDACTED } from "./record";

export type LineResult = { ok: true; record: ExchangeRecord } | { ok: false; error: string } | { ok: "skip" };

/** Parse and shape-check one JSONL line of the exchange record format (v1). Blank lines are skipped. */
export function parseExchangeLine(line: string): LineResult {
  const t = line.trim();
  if (t === "") return { ok: "skip" };
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (e) {
    return { ok: false, error: `not JSON (${(e as Error).message})` };
  }
  return shapeCheck(v);
}

export function shapeCheck(v: unknown): LineResult {
  if (!v || typeof v !== "object" || Array.isArray(v)) return { ok: false, error: "not a JSON object" };
  const o = v as Record<string, unknown>;
  if (o.v !== 1) return { ok: false, error: `unsupported record version ${JSON.stringify(o.v)} (expected "v": 1)` };
  const req = o.request as Record<string, unknown> | undefined;
  if (!req || typeof req !== "object") return { ok: false, error: "missing request object" };
  if (typeof req.method !== "string" || typeof req.url !== "string")
    return { ok: false, error: "request.method and request.url must be strings" };
  const res = o.response as Record<string, unknown> | undefined;
  if (res !== undefined && (typeof res !== "object" || res === null || typeof res.status !== "number"))
    return { ok: false, error: "response.status must be a number" };
  if (res?.headers !== undefined && (typeof res.headers !== "object" || res.headers === null))
    return { ok: false, error: "response.headers must be an object" };
  return { ok: true, record: o as unknown as ExchangeRecord };
}

interface HarHeader {
  name: string;
  value: string;
}
interface HarEntry {
  startedDateTime?: string;
  request?: {
    method?: string;
    url?: string;
    headers?: HarHeader[];
    postData?: { mimeType?: string; text?: string; encoding?: string };
  };
  response?: {
    status?: number;
    headers?: HarHeader[];
    content?: { mimeType?: string; text?: string; encoding?: string };
    _error?: string;
  };
}

function decodeBody(text: string | undefined, encoding: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (encoding === "base64") {
    try {
      const bin = atob(text);
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
      return new TextDecoder().decode(bytes);
    } catch {
      return text;
    }
  }
  return text;
}

function headersOf(h: HarHeader[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const x of h ?? []) {
    if (!x || typeof x.name !== "string") continue;
    const k = x.name.toLowerCase();
    if (k.startsWith(":")) continue; // HTTP/2 pseudo-headers
    const val = isSecretName(k) ? REDACTED : String(x.value ?? ""); // the recorder's rule: secret by name pattern
    out[k] = out[k] !== undefined ? `${out[k]}, ${val}` : val;
  }
  return out;
}

/** Convert a parsed HAR 1.2 document into exchange records (entries in order; id = `har-<index>`). */
export function harToExchanges(har: unknown): {
  records: ExchangeRecord[];
  errors: { index: number; error: string }[];
} {
  const records: ExchangeRecord[] = [];
  const errors: { index: number; error: string }[] = [];
  const entries = (har as { log?: { entries?: unknown } })?.log?.entries;
  if (!Array.isArray(entries)) throw new Error("not a HAR file: missing log.entries array");
  entries.forEach((e0, index) => {
    const e = e0 as HarEntry;
    if (!e?.request?.method || !e.request.url) {
      errors.push({ index, error: "entry has no request.method/url" });
      return;
    }
    const reqText = decodeBody(e.request.postData?.text, e.request.postData?.encoding);
    const reqHeaders = headersOf(e.request.headers);
    if (e.request.postData?.mimeType && !reqHeaders["content-type"])
      reqHeaders["content-type"] = e.request.postData.mimeType;
    const rec: ExchangeRecord = {
      v: 1,
      id: `har-${index}`,
      request: { method: e.request.method, url: e.request.url, headers: reqHeaders },
    };
    if (e.startedDateTime) rec.ts = e.startedDateTime;
    if (reqText !== undefined && reqText !== "") {
      try {
        rec.request.body = JSON.parse(reqText);
      } catch {
        rec.request.bodyText = reqText;
      }
    }
    const r = e.response;
    if (r && typeof r.status === "number" && r.status > 0) {
      const resHeaders = headersOf(r.headers);
      if (r.content?.mimeType && !resHeaders["content-type"]) resHeaders["content-type"] = r.content.mimeType;
      const text = decodeBody(r.content?.text, r.content?.encoding);
      rec.response = { status: r.status, headers: resHeaders, complete: !r._error };
      const ct = (resHeaders["content-type"] ?? "").toLowerCase();
      if (text !== undefined) {
        if (/json/.test(ct)) {
          try {
            rec.response.body = JSON.parse(text);
          } catch {
            rec.response.bodyText = text;
          }
        } else rec.response.bodyText = text;
      }
    }
    records.push(rec);
  });
  return { records, errors };
}
