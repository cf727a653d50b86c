import type { Middleware } from "openapi-fetch";
import type { ExchangeRecord } from "./types";

export interface RecorderOptions {
  /**
   * Receives one complete JSONL line per finished exchange, trailing newline included, so appending it as-is to a
   * file or stream gives valid JSONL (`write: (line) => stream.write(line)`). Must not throw (errors are swallowed).
   */
  write(line: string): void;
  /** Extra header and query parameter names (case-insensitive) and top-level JSON body keys to redact. */
  redact?: string[];
  /**
   * Secret values to remove wherever they appear (URL, headers, bodies), e.g. the API key. The values of secret
   * request headers (`Authorization: Bearer <key>`, `x-api-key`, ...) are added per exchange automatically.
   */
  secrets?: string[];
  /** Stop keeping a response body after this many characters (default 64 Mi); the record then has complete: false. */
  maxBodyChars?: number;
  /** Called when recording fails (never affects the caller). */
  onError?(error: unknown): void;
}

// One placeholder for the client's errors and the recorder's records.
import { REDACTED } from "../client/redact";

export { REDACTED };

/**
 * A header or query parameter whose name contains one of these words carries a secret (a pattern, not a list of
 * names: `x-openrouter-key`, `client_secret`, `refresh_token`, `x-auth`, `sig`, ... all match).
 */
export const SECRET_NAME = /key|secret|token|passw|auth|sig|cookie|credential|session/i;

/**
 * Secret values shorter than this are redacted only where they are a whole header or query value: replacing a short
 * value inside text ("x", "e") would corrupt unrelated words.
 */
export const MIN_SECRET_CHARS = 8;

export interface RedactOptions {
  /** Extra secret names (case-insensitive exact match), on top of SECRET_NAME. */
  names?: Iterable<string>;
  /** Secret values to remove wherever they appear. */
  values?: Iterable<string>;
}

export function isSecretName(name: string, extra?: Iterable<string>): boolean {
  if (SECRET_NAME.test(name)) return true;
  const n = name.toLowerCase();
  for (const x of extra ?? []) if (x.toLowerCase() === n) return true;
  return false;
}

/**
 * The secret values of a header: the whole value and, for `Bearer <token>`-style values, the token. A header sent
 * twice arrives joined (`Bearer A, Bearer B`): each part counts too.
 */
function secretParts(value: string): string[] {
  const v = value.trim();
  const out = [v];
  for (const part of v.split(",")) {
    const p = part.trim();
    const m = /^[A-Za-z][\w-]*\s+(\S+)$/.exec(p);
    if (p && p !== v) out.push(p);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** Longest first, so a value containing another is removed whole. */
function usableValues(values: Iterable<string> | undefined): string[] {
  return [...new Set(values ?? [])].filter((v) => v.length >= MIN_SECRET_CHARS).sort((a, b) => b.length - a.length);
}

/** Replace every occurrence of a secret value (at least MIN_SECRET_CHARS long) in `text`. */
export function redactText(text: string, values?: Iterable<string>): string {
  return replaceAll(text, usableValues(values));
}

/** `usable`: from usableValues (long enough, longest first). */
function replaceAll(text: string, usable: readonly string[]): string {
  let out = text;
  for (const v of usable) if (out.includes(v)) out = out.split(v).join(REDACTED);
  return out;
}

/**
 * Secret values removed from every string and property name of a freshly parsed JSON value (changed in place,
 * iteratively: deep nesting cannot overflow the stack). Redacting after parsing also catches an escaped echo
 * (`"\u0073k-or-…"`) that the raw text does not show.
 */
export function redactParsed(root: unknown, values?: Iterable<string>): unknown {
  const usable = usableValues(values);
  if (!usable.length) return root;
  if (typeof root === "string") return replaceAll(root, usable);
  const todo: object[] = root && typeof root === "object" ? [root] : [];
  for (let o: object | undefined; (o = todo.pop()); ) {
    const rec = o as Record<string, unknown>;
    const keys = Object.keys(rec);
    const renamed = !Array.isArray(rec) && keys.some((k) => replaceAll(k, usable) !== k);
    const entries = keys.map((k) => [k, rec[k]] as const);
    if (renamed) for (const k of keys) delete rec[k];
    for (const [k, v] of entries) {
      const nv = typeof v === "string" ? replaceAll(v, usable) : v;
      if (nv && typeof nv === "object") todo.push(nv);
      // defineProperty: a "__proto__" key (JSON.parse makes it an own property) must stay data, not a prototype.
      if (renamed || nv !== v) {
        Object.defineProperty(rec, renamed ? replaceAll(k, usable) : k, {
          value: nv,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
  }
  return root;
}

/** Header names lowercased; secret ones (by name, or whose value is a known secret) become REDACTED. */
type HeaderInput = Headers | Record<string, string | string[] | undefined>;

function eachHeader(headers: HeaderInput, f: (key: string, value: string) => void): void {
  if (typeof (headers as Headers).forEach === "function" && typeof (headers as Headers).get === "function") {
    (headers as Headers).forEach((v, k) => {
      f(k, v);
    });
  } else {
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) f(k, Array.isArray(v) ? v.join(", ") : v);
  }
}

export function redactHeaders(headers: HeaderInput, opts: RedactOptions = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const values = [...(opts.values ?? [])];
  const exact = new Set(values.map((v) => v.trim()));
  const put = (key: string, value: string) => {
    const k = key.toLowerCase();
    out[k] = isSecretName(k, opts.names) || exact.has(value.trim()) ? REDACTED : redactText(value, values);
  };
  eachHeader(headers, put);
  return out;
}

/** Query parameters with secret names or values, and user:password in the URL, become REDACTED. */
export function redactUrl(url: string, opts: RedactOptions = {}): string {
  const values = [...(opts.values ?? [])];
  const exact = new Set(values);
  try {
    const u = new URL(url);
    let changed = false;
    for (const [k, v] of [...u.searchParams]) {
      if (isSecretName(k, opts.names) || exact.has(v)) {
        u.searchParams.set(k, REDACTED);
        changed = true;
      }
    }
    if (u.username || u.password) {
      u.username = "";
      u.password = "";
      changed = true;
    }
    return redactText(changed ? u.toString() : url, values);
  } catch {
    return redactText(url, values);
  }
}

/** Values of the secret headers of a request, to remove from everything else recorded with it. */
export function secretHeaderValues(headers: HeaderInput, names?: Iterable<string>): string[] {
  const out: string[] = [];
  const add = (k: string, v: string) => {
    if (isSecretName(k, names) && v.trim()) out.push(...secretParts(v));
  };
  eachHeader(headers, add);
  return out;
}

/**
 * A recorded body: parsed JSON (secret values redacted after parsing, top-level `secretKeys` replaced) or the text,
 * redacted.
 */
export function bodyFields(
  text: string | undefined,
  contentType: string,
  secretKeys: Set<string>,
  values: string[],
): { body?: unknown; bodyText?: string } {
  if (text === undefined || text === "") return {};
  if (/json/i.test(contentType) || /^\s*[{[]/.test(text)) {
    try {
      const body = redactParsed(JSON.parse(text), values);
      if (secretKeys.size && body && typeof body === "object" && !Array.isArray(body)) {
        for (const k of Object.keys(body))
          if (secretKeys.has(k.toLowerCase())) (body as Record<string, unknown>)[k] = REDACTED;
      }
      return { body };
    } catch {
      /* fall through: keep raw */
    }
  }
  return { bodyText: redactText(text, values) };
}

/** Values of query parameters with secret names (a key in the URL), to remove wherever a body echoes them. */
export function secretQueryValues(url: string, names?: Iterable<string>): string[] {
  try {
    return [...new URL(url).searchParams].filter(([k, v]) => v && isSecretName(k, names)).map(([, v]) => v);
  } catch {
    return [];
  }
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
  const secretKeys = new Set(extra);
  const max = opts.maxBodyChars ?? 64 * 1024 * 1024;
  const pending = new Map<string, { ts: string; request: ExchangeRecord["request"]; values: string[] }>();
  const fail = (e: unknown) => {
    try {
      opts.onError?.(e);
    } catch {
      /* ignore */
    }
  };
  const emit = (rec: ExchangeRecord & { error?: string }) => {
    try {
      opts.write(`${JSON.stringify(rec)}\n`);
    } catch (e) {
      fail(e);
    }
  };

  return {
    async onRequest({ request, id }) {
      try {
        const values = [
          ...(opts.secrets ?? []),
          ...secretHeaderValues(request.headers, extra),
          ...secretQueryValues(request.url, extra),
        ];
        const headers = redactHeaders(request.headers, { names: extra, values });
        let text: string | undefined;
        if (request.body) text = await request.clone().text();
        pending.set(id, {
          ts: new Date().toISOString(),
          values,
          request: {
            method: request.method,
            url: redactUrl(request.url, { names: extra, values }),
            headers,
            ...bodyFields(text, headers["content-type"] ?? "", secretKeys, values),
          },
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
      const headers = redactHeaders(response.headers, { names: extra, values: p.values });
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
          if (text !== "") res.bodyText = redactText(text, p.values);
        } else {
          const b = complete
            ? bodyFields(text, ct, new Set(), p.values)
            : text
              ? { bodyText: redactText(text, p.values) }
              : {};
          Object.assign(res, b);
        }
        emit({ v: 1, id, ts: p.ts, request: p.request, response: res });
      })().catch(fail);
      return undefined;
    },
    onError({ error, id }) {
      const p = pending.get(id);
      pending.delete(id);
      if (!p) return undefined;
      const message = error instanceof Error ? error.message : String(error);
      emit({ v: 1, id, ts: p.ts, request: p.request, error: redactText(message, p.values) });
      return undefined;
    },
  };
}
