import type { Middleware } from "openapi-fetch";
import type { ExchangeRecord } from "./types";

export interface RecorderOptions {
  /** Receives one JSONL line (no trailing newline) per finished exchange. Must not throw (errors are swallowed). */
  write(line: string): void;
  /** Extra header names (case-insensitive) and top-level JSON body keys to redact. */
  redact?: string[];
  /** Stop keeping a response body after this many characters (default 64 Mi); the record then has complete: false. */
  maxBodyChars?: number;
  /** Called when recording fails (never affects the caller). */
  onError?(error: unknown): void;
}

const DEFAULT_SECRET_HEADERS = ["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "openai-api-key"];

function redactHeaders(h: Headers, secret: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((value, key) => {
    const k = key.toLowerCase();
    out[k] = secret.has(k) || /(^|-)(api-?key|token|secret)$/.test(k) ? "[REDACTED]" : value;
  });
  return out;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    let changed = false;
    for (const k of [...u.searchParams.keys()]) {
      if (/^(key|api_key|apikey|token|access_token)$/i.test(k)) {
        u.searchParams.set(k, "[REDACTED]");
        changed = true;
      }
    }
    if (u.username || u.password) {
      u.username = "";
      u.password = "";
      changed = true;
    }
    return changed ? u.toString() : url;
  } catch {
    return url;
  }
}

function bodyFields(text: string | undefined, contentType: string, secretKeys: Set<string>): { body?: unknown; bodyText?: string } {
  if (text === undefined || text === "") return {};
  if (/json/i.test(contentType) || /^\s*[{[]/.test(text)) {
    try {
      const body = JSON.parse(text) as unknown;
      if (secretKeys.size && body && typeof body === "object" && !Array.isArray(body)) {
        for (const k of Object.keys(body)) if (secretKeys.has(k.toLowerCase())) (body as Record<string, unknown>)[k] = "[REDACTED]";
      }
      return { body };
    } catch {
      /* fall through: keep raw */
    }
  }
  return { bodyText: text };
}

const ABORTED = Symbol("aborted");
const TIMED_OUT = Symbol("timed out");
/** How long to keep reading already-buffered body data after the caller aborted. */
const DRAIN_MS = 50;
const delay = (ms: number) => new Promise<typeof TIMED_OUT>((res) => setTimeout(() => res(TIMED_OUT), ms));

/**
 * openapi-fetch middleware that records each exchange as one JSONL line of the exchange record (v1).
 * The response body is teed with `response.clone()`: the caller's stream is passed through untouched and never waits
 * for the recorder; the recorder reads its own branch in the background and writes when the body ends (or fails).
 */
export function createRecorder(opts: RecorderOptions): Middleware {
  const extra = (opts.redact ?? []).map((s) => s.toLowerCase());
  const secretHeaders = new Set([...DEFAULT_SECRET_HEADERS, ...extra]);
  const secretKeys = new Set(extra);
  const max = opts.maxBodyChars ?? 64 * 1024 * 1024;
  const pending = new Map<string, { ts: string; request: ExchangeRecord["request"] }>();
  const fail = (e: unknown) => {
    try {
      opts.onError?.(e);
    } catch {
      /* ignore */
    }
  };
  const emit = (rec: ExchangeRecord & { error?: string }) => {
    try {
      opts.write(JSON.stringify(rec));
    } catch (e) {
      fail(e);
    }
  };

  return {
    async onRequest({ request, id }) {
      try {
        const headers = redactHeaders(request.headers, secretHeaders);
        let text: string | undefined;
        if (request.body) text = await request.clone().text();
        pending.set(id, {
          ts: new Date().toISOString(),
          request: { method: request.method, url: redactUrl(request.url), headers, ...bodyFields(text, headers["content-type"] ?? "", secretKeys) },
        });
      } catch (e) {
        fail(e);
      }
      return undefined;
    },
    onResponse({ request, response, id }) {
      const p = pending.get(id);
      pending.delete(id);
      if (!p) return undefined;
      let copy: Response;
      try {
        copy = response.clone();
      } catch (e) {
        fail(e);
        return undefined;
      }
      const headers = redactHeaders(response.headers, secretHeaders);
      const ct = headers["content-type"] ?? "";
      void (async () => {
        let text = "";
        let complete = true;
        try {
          if (copy.body) {
            const reader = copy.body.getReader();
            const dec = new TextDecoder();
            // When the caller aborts (a `break`, a mid-stream error, a timeout), undici may never settle our branch:
            // keep what is already buffered, then give up on the rest and record the exchange as incomplete.
            const signal = request.signal as AbortSignal | undefined;
            const aborted = new Promise<typeof ABORTED>((res) => {
              if (signal?.aborted) res(ABORTED);
              else signal?.addEventListener("abort", () => res(ABORTED), { once: true });
            });
            let drainUntil = 0;
            for (;;) {
              const next = drainUntil
                ? await Promise.race([reader.read(), delay(Math.max(0, drainUntil - Date.now()))])
                : await Promise.race([reader.read(), aborted]);
              if (next === ABORTED) {
                complete = false;
                drainUntil = Date.now() + DRAIN_MS;
                continue;
              }
              if (next === TIMED_OUT) {
                await reader.cancel().catch(() => undefined);
                break;
              }
              const { done, value } = next;
              if (done) break;
              if (text.length < max) text += dec.decode(value, { stream: true });
              else {
                complete = false;
                await reader.cancel().catch(() => undefined); // stop our branch only; the caller's continues
                break;
              }
            }
            text += dec.decode();
          }
        } catch {
          complete = false; // aborted or network error mid-body
        }
        const isSse = /text\/event-stream/i.test(ct);
        const res: NonNullable<ExchangeRecord["response"]> = { status: response.status, headers, complete };
        if (isSse) {
          if (text !== "") res.bodyText = text;
        } else {
          const b = complete ? bodyFields(text, ct, new Set()) : text ? { bodyText: text } : {};
          Object.assign(res, b);
        }
        emit({ v: 1, id, ts: p.ts, request: p.request, response: res });
      })().catch(fail);
      return undefined;
    },
    onError({ error, id }) {
      const p = pending.get(id);
      pending.delete(id);
      if (p) emit({ v: 1, id, ts: p.ts, request: p.request, error: error instanceof Error ? error.message : String(error) });
      return undefined;
    },
  };
}
