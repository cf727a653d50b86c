// Node-only HTTP plumbing of the proxy: what is forwarded (hop-by-hop headers are not), how much of a request body is
// read for checking, how headers look in checks and records, and which response bodies can be decoded for checking.
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import zlib from "node:zlib";

// `expect` too: the proxy has already answered 100-continue itself.
const HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "expect",
]);

/** Read up to `max` bytes; past that, stop (paused) and let the caller stream the rest. */
export function readBody(
  req: IncomingMessage,
  max: number,
): Promise<{ chunks: Buffer[]; size: number; overflow: boolean; ok: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (overflow: boolean, ok: boolean) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onFail);
      req.off("aborted", onFail);
      resolve({ chunks, size, overflow, ok });
    };
    const onData = (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size > max) {
        req.pause();
        done(true, true);
      }
    };
    const onEnd = () => done(false, true);
    const onFail = () => done(false, false);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onFail);
    req.on("aborted", onFail);
  });
}

/** Strip user:password from a URL for display. */
export function displayUrl(u: URL): string {
  const c = new URL(u.href);
  c.username = "";
  c.password = "";
  return c.href.replace(/\/$/, "");
}

/** Hop-by-hop headers (and any named in Connection) are not forwarded; everything else is, in order and case. */
export function forwardable(raw: string[]): string[] {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === "connection")
      for (const t of raw[i + 1]!.split(",")) named.add(t.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!.toLowerCase();
    if (!HOP.has(k) && !named.has(k)) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

export function toHeaders(flat: string[]): Headers {
  const h = new Headers();
  for (let i = 0; i < flat.length; i += 2) {
    try {
      h.append(flat[i]!, flat[i + 1]!);
    } catch {
      /* a header value fetch's Headers refuses is left out of the record only */
    }
  }
  return h;
}

/** The bearer token is never looked at beyond its scheme: checks see a placeholder. */
export function headersForCheck(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const k = flat[i]!.toLowerCase();
    let v = flat[i + 1]!;
    if (k === "authorization") v = v === "" ? "" : /^bearer\s+\S/i.test(v) ? "Bearer [REDACTED]" : "(non-bearer value)";
    out[k] = out[k] !== undefined ? `${out[k]}, ${v}` : v;
  }
  return out;
}

export function lowerHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

export function decoderFor(
  encoding: string | undefined,
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined | null {
  const e = (encoding ?? "").trim().toLowerCase();
  if (e === "" || e === "identity") return undefined;
  if (e === "gzip" || e === "x-gzip") return zlib.createGunzip();
  if (e === "deflate") return zlib.createInflate();
  if (e === "br") return zlib.createBrotliDecompress();
  return null; // unknown: forwarded, not checked
}
