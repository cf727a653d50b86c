/**
 * `createOpenRouterClient()`: typed calls for POST /completions and POST /chat/completions with auth,
 * attribution headers, streaming, typed errors, retries and timeouts.
 *
 * Typed calls use `fetch` directly (the fast path); once middleware is registered they go through openapi-fetch,
 * so every middleware sees every request. `client.raw` is the openapi-fetch client over the generated `paths`,
 * imported lazily on first use so that apps which never touch it do not ship it.
 */
import type { Client, Middleware } from "openapi-fetch";
import {
  AbortError,
  ConnectionError,
  InBandError,
  InvalidRequestError,
  InvalidResponseError,
  OpenRouterError,
  RedirectError,
  ResponseTooLargeError,
  StreamTruncatedError,
  TimeoutError,
  ValidationError,
  errorFromResponse,
  snippet,
} from "./errors";
import { REDACTED, redactText, redactValue } from "./redact";
import { backoffDelay, isRetryableStatus, parseRetryAfter, sleep } from "./retry";
import { Stream, type StreamControl } from "./stream";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  Completion,
  CompletionChunk,
  CompletionCreateParamsNonStreaming,
  CompletionCreateParamsStreaming,
  CreateChatCompletionRequest,
  CreateCompletionRequest,
  paths,
} from "../types";
import type { ClientValidator, ClientViolation, ValidateMode, ViolationSite } from "./validate";

export const DEFAULT_BASE_URL = "https://openrouter.ai/api/v1";

export interface ClientOptions {
  /** OpenRouter API key, sent as `Authorization: Bearer <key>`. Never copied into errors. */
  apiKey?: string | undefined;
  /** Default `https://openrouter.ai/api/v1`. */
  baseUrl?: string | undefined;
  /** Your app's URL, sent as `HTTP-Referer` (app attribution). */
  appUrl?: string | undefined;
  /**
   * Your app's name, sent as `X-OpenRouter-Title` and the legacy `X-Title`. Must be a valid header value (Latin-1);
   * invalid values throw `InvalidRequestError` at creation.
   */
  appTitle?: string | undefined;
  /** Extra headers for every request; they override the defaults (names are case-insensitive). */
  headers?: HeadersInit | undefined;
  /** Custom fetch (default: `globalThis.fetch`, looked up per call). */
  fetch?: typeof fetch | undefined;
  /**
   * Per-attempt limit, ms (default 600 000). JSON: until the body is read. Streams: until the response headers
   * arrive, then the longest allowed silence between two network reads (idle timeout).
   */
  timeoutMs?: number | undefined;
  /**
   * Overall deadline, ms, covering every attempt and every backoff wait (default: equal to `timeoutMs`, so retries
   * never multiply the wait). For streams it ends when the stream is returned (headers received).
   */
  totalTimeoutMs?: number | undefined;
  /** Retries after the first attempt (default 2). 0 disables retries. */
  maxRetries?: number | undefined;
  /** First backoff, ms (default 500); doubles per retry up to `retryMaxDelayMs` (default 8000), minus ≤25% jitter. */
  retryInitialDelayMs?: number | undefined;
  retryMaxDelayMs?: number | undefined;
  /** openapi-fetch middleware, applied in order to every request (typed calls and `raw`). */
  middleware?: Middleware[] | undefined;
  /** Validation mode (default "off"); needs `validator`. */
  validate?: ValidateMode | undefined;
  /** Validator, e.g. `createClientValidator()` from `openrouter-contract/conformance`. */
  validator?: ClientValidator | undefined;
  /** Receives non-fatal violations (default `console.warn`). */
  onViolation?: ((violations: ClientViolation[], site: ViolationSite, operationId: string) => void) | undefined;
  /**
   * What to do with a 200 JSON body reporting a failed generation (`finish_reason: "error"` + `choices[].error`,
   * or a top-level `error`): "throw" (default) throws `InBandError` (the full body is on `err.body`);
   * "return" returns the body unchanged.
   */
  inBandErrors?: "throw" | "return" | undefined;
  /** Max characters of one SSE line/event (default 16 MiB). Larger -> `InvalidResponseError`. */
  maxLineLength?: number | undefined;
  /**
   * Max bytes of a 2xx JSON body (default 32 MiB, after decompression). Larger -> `ResponseTooLargeError`, without
   * reading the rest. Error bodies are read up to 1 MiB (or this limit, if lower); the rest is discarded.
   */
  maxBodyBytes?: number | undefined;
  /** Max characters kept in a stream's `partialContent` (default 1 MiB of text); later content is not kept. */
  maxPartialContentLength?: number | undefined;
}

export interface RequestOptions {
  /** Cancels the call at any point: before the response, during a backoff wait, mid-stream. */
  signal?: AbortSignal | null | undefined;
  /** Extra headers for this call (override client headers). */
  headers?: HeadersInit | undefined;
  timeoutMs?: number | undefined;
  totalTimeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  inBandErrors?: "throw" | "return" | undefined;
}

export interface ChatCompletionsResource {
  /** `POST /chat/completions`. With `stream: true` resolves to a `Stream` of chunks once the headers arrive. */
  create(body: ChatCompletionCreateParamsStreaming, options?: RequestOptions): Promise<Stream<ChatCompletionChunk>>;
  create(body: ChatCompletionCreateParamsNonStreaming, options?: RequestOptions): Promise<ChatCompletion>;
  create(body: CreateChatCompletionRequest, options?: RequestOptions): Promise<ChatCompletion | Stream<ChatCompletionChunk>>;
}

export interface CompletionsResource {
  /** `POST /completions` (legacy text completions). With `stream: true` resolves to a `Stream` of chunks. */
  create(body: CompletionCreateParamsStreaming, options?: RequestOptions): Promise<Stream<CompletionChunk>>;
  create(body: CompletionCreateParamsNonStreaming, options?: RequestOptions): Promise<Completion>;
  create(body: CreateCompletionRequest, options?: RequestOptions): Promise<Completion | Stream<CompletionChunk>>;
}

export interface OpenRouterClient {
  chat: { completions: ChatCompletionsResource };
  completions: CompletionsResource;
  /**
   * The openapi-fetch client (`{ data, error, response }` results) with the same base URL, auth and attribution
   * headers, and middleware. openapi-fetch is imported on first call (all its request methods are async anyway);
   * `raw.use()` middleware also applies to typed calls.
   */
  raw: Client<paths, "application/json">;
}

/** Error bodies are read up to this many bytes: enough for any error envelope or HTML error page. */
const ERROR_BODY_BYTES = 1024 * 1024;
const noop = () => {};

/** Which option a default header comes from (for error messages). */
const OPTION_OF: Record<string, string> = { authorization: "apiKey", "http-referer": "appUrl" };

/** Copies `init` into `target`; an invalid header throws `InvalidRequestError` naming it (never its value). */
function toRecord(target: Record<string, string>, init: HeadersInit | undefined, where: string) {
  if (init) {
    const h = new Headers();
    for (const [k, v] of init instanceof Headers ? init : Array.isArray(init) ? init : Object.entries(init)) {
      try {
        h.append(k!, v!);
      } catch {
        const opt = where ? `${where}["${k}"]` : OPTION_OF[k!] ?? "appTitle";
        throw new InvalidRequestError(`Invalid header in ${opt}: expected a token name, a Latin-1 value, no CR/LF/NUL`);
      }
    }
    h.forEach((v, k) => void (target[k] = v));
  }
  return target;
}

/** Reads at most `max` bytes of the body as UTF-8; `over` when the server sent more (the rest is cancelled). */
async function readText(res: Response, max: number): Promise<{ text: string; over: boolean }> {
  const reader = res.body?.getReader();
  const dec = new TextDecoder();
  let text = "";
  for (let n = 0; reader; ) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > max) {
      reader.cancel().catch(noop);
      return { text: text + dec.decode(value.subarray(0, value.byteLength - (n - max))), over: true };
    }
    text += dec.decode(value, { stream: true });
  }
  return { text: text + dec.decode(), over: false };
}

/** JSON pointer of the value `JSON.stringify(body)` fails on (BigInt, circular reference), found on the error path. */
function unserializableAt(body: unknown): string {
  const paths = new Map<unknown, string>();
  let at = "";
  try {
    JSON.stringify(body, function (this: unknown, k: string, v: unknown) {
      at = paths.has(this) ? `${paths.get(this)}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}` : "";
      if (v !== null && typeof v === "object") paths.set(v, at);
      return v;
    });
  } catch {}
  return at;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function inBandError(data: any, status: number, generationId: string | undefined): InBandError | undefined {
  let e: any;
  let content: unknown;
  if (Array.isArray(data.choices)) {
    const c = data.choices.find((c: any) => c && (c.finish_reason === "error" || (c.error && typeof c.error === "object")));
    if (!c) return undefined;
    e = c.error ?? {};
    content = c.message ? c.message.content : c.text;
  } else if (data.error && typeof data.error === "object") {
    e = data.error;
  } else return undefined;
  return new InBandError(`Generation failed${e.code === undefined ? "" : ` (${e.code})`}: ${e.message ?? "finish_reason: error"}`, {
    status, code: e.code, metadata: e.metadata, errorType: e.error_type ?? e.metadata?.error_type, generationId, body: data,
    partialContent: typeof content === "string" ? content : undefined,
  });
}

export function createOpenRouterClient(options: ClientOptions = {}): OpenRouterClient {
  const {
    apiKey,
    appUrl,
    appTitle,
    timeoutMs = 600_000,
    totalTimeoutMs,
    maxRetries = 2,
    retryInitialDelayMs = 500,
    retryMaxDelayMs = 8000,
    middleware,
    validate = "off",
    validator,
    onViolation,
    inBandErrors = "throw",
    maxLineLength = 16 * 1024 * 1024,
    maxBodyBytes = 32 * 1024 * 1024,
    maxPartialContentLength = 1024 * 1024,
  } = options;
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const userFetch = options.fetch;
  const doFetch: typeof fetch = (input, init) => (userFetch ?? globalThis.fetch)(input, init);

  const common: Record<string, string> = {};
  if (apiKey) common.authorization = `Bearer ${apiKey}`;
  if (appUrl) common["http-referer"] = appUrl;
  if (appTitle) common["x-title"] = common["x-openrouter-title"] = appTitle;
  // Fail fast (InvalidRequestError naming the option, never the value) on e.g. CR/LF in apiKey, non-Latin-1 appTitle.
  toRecord({}, common, "");
  toRecord(common, options.headers, "headers");
  const jsonHeaders = { "content-type": "application/json", accept: "application/json", ...common };
  const sseHeaders = { "content-type": "application/json", accept: "text/event-stream", ...common };

  // openapi-fetch is loaded on first use of `raw` or of middleware, so apps that only make typed calls do not
  // ship it (bundlers split the dynamic import into a lazy chunk). Typed calls use fetch directly unless
  // middleware is registered; then they go through openapi-fetch so every middleware sees every request.
  const mws: Middleware[] = [...(middleware ?? [])];
  let rawClient: Client<paths, "application/json"> | undefined;
  let rawLoading: Promise<Client<paths, "application/json">> | undefined;
  const loadRaw = () =>
    (rawLoading ??= import("openapi-fetch").then((m) => {
      rawClient = m.default<paths, "application/json">({
        baseUrl, headers: common, fetch: (req: Request) => doFetch(req), redirect: "manual",
      });
      // First in the list, so its onResponse runs last: the caller's middleware sees the real response, and
      // openapi-fetch then reads at most ERROR_BODY_BYTES of an error body.
      rawClient.use(
        {
          onResponse: async ({ response: r }) =>
            r.ok || !r.body ? undefined : new Response((await readError(r)).text, r),
        },
        ...mws,
      );
      return rawClient;
    }));
  const raw = {
    use: (...m: Middleware[]) => {
      mws.push(...m);
      rawClient?.use(...m);
    },
    eject: (...m: Middleware[]) => {
      for (const x of m) if (mws.includes(x)) mws.splice(mws.indexOf(x), 1);
      rawClient?.eject(...m);
    },
  } as unknown as Client<paths, "application/json">;
  for (const k of ["request", "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"]) {
    (raw as any)[k] = (...a: unknown[]) => loadRaw().then((c: any) => c[k](...a));
  }
  const checking = validate !== "off" && !!validator;

  const readError = (r: Response) => readText(r, Math.min(maxBodyBytes, ERROR_BODY_BYTES));
  /** The bearer token a request sends (the API key, or an `authorization` header that overrides it). */
  const secret = (h: Record<string, string>) => h.authorization?.replace(/^bearer\s+/i, "").trim() ?? "";
  const defaultKey = secret(common);
  /**
   * Scrubs the key out of an error (message, stack, every field, cause) or a JSON value. Every error leaves the
   * client through here, and server text is also redacted before it is cut short (a cut key would not match).
   */
  const redact = <T>(v: T, key: string): T => {
    if (!(v instanceof OpenRouterError)) return v instanceof Error ? v : redactValue(v, key); // a caller's own error
    if (!key) return v;
    const m = redactText(v.message, key);
    if (m !== v.message) {
      v.message = m;
      v.stack = redactText(String(v.stack), key);
    }
    for (const k of Object.keys(v)) (v as any)[k] = redactValue((v as any)[k], key);
    const c = v.cause;
    if (c !== undefined) {
      let s: string;
      try {
        s = c instanceof Error ? `${c.message}\n${c.stack}` : String(c);
      } catch {
        s = "";
      }
      if (redactText(s, key) !== s) v.cause = REDACTED;
    }
    return v;
  };

  const check = (site: ViolationSite, opId: string, violations: ClientViolation[]) => {
    if (!violations.length) return;
    if (validate === "strict") {
      const errs = violations.filter((v) => v.severity === "error");
      if (errs.length) {
        throw new ValidationError(`${opId} ${site}: ${errs.map((v) => `${v.instancePath} ${v.message}`).join("; ")}`, violations);
      }
    }
    (onViolation ?? ((v, s, o) => console.warn(o, s, v)))(violations, site, opId);
  };

  async function send(path: "/completions" | "/chat/completions", opId: string, body: any, o: RequestOptions | undefined, stream: boolean): Promise<any> {
    let key = defaultKey;
    try {
      return await attempts(path, opId, body, o, stream, (k) => (key = k));
    } catch (e) {
      throw redact(e, key);
    }
  }

  async function attempts(
    path: string, opId: string, body: any, o: RequestOptions | undefined, stream: boolean, setKey: (k: string) => void,
  ): Promise<any> {
    const signal = o?.signal;
    const aborted = () => new AbortError("Request aborted", { cause: signal?.reason });
    if (signal?.aborted) throw aborted();
    if (checking) check("request", opId, validator!.validateRequest(opId, body));
    let payload: string;
    try {
      payload = JSON.stringify(body);
    } catch (e) {
      const why = String((e as Error)?.message).split("\n")[0];
      const at = unserializableAt(body);
      throw new InvalidRequestError(`Request body is not JSON-serializable at "${at}": ${why} (expected JSON values)`);
    }
    const defaults = stream ? sseHeaders : jsonHeaders;
    const headers = o?.headers ? toRecord({ ...defaults }, o.headers, "options.headers") : defaults;
    const key = headers === defaults ? defaultKey : secret(headers);
    setKey(key);
    const attemptMs = o?.timeoutMs ?? timeoutMs;
    const totalMs = o?.totalTimeoutMs ?? totalTimeoutMs ?? attemptMs;
    const retries = o?.maxRetries ?? maxRetries;
    const inBand = o?.inBandErrors ?? inBandErrors;
    const url = baseUrl + path;
    const deadline = Date.now() + totalMs;

    for (let attempt = 0; ; attempt++) {
      const limit = Math.min(attemptMs, deadline - Date.now());
      const ac = new AbortController();
      /** 0 none, 1 attempt timeout, 2 overall deadline, 3 caller abort, 4 stream idle timeout */
      let why = 0;
      const timer = limit < 2 ** 31 ? setTimeout(() => ((why = limit < attemptMs ? 2 : 1), ac.abort()), limit) : undefined;
      const onAbort = () => ((why = 3), ac.abort());
      signal?.addEventListener("abort", onAbort);
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      let err: OpenRouterError;
      try {
        let res: Response;
        let errBody: unknown;
        if (mws.length) {
          const r = await (raw as any).POST(path, { body: payload, bodySerializer: (b: string) => b, headers, signal: ac.signal, parseAs: "stream" });
          res = r.response;
          errBody = r.error;
        } else {
          // Redirects are never followed: a cross-origin hop would carry custom credential headers and the body.
          res = await doFetch(url, { method: "POST", headers, body: payload, signal: ac.signal, redirect: "manual" });
        }
        // Looked up only on error paths (Headers#get is not free on the hot path).
        const gid = () => res.headers.get("x-generation-id") ?? undefined;
        if (!res.ok) {
          if (res.status < 400) {
            // 3xx, or status 0 for the opaque redirect a browser returns under redirect: "manual".
            res.body?.cancel().catch(noop);
            const to = res.headers.get("location");
            const msg = `${res.status} Redirect${to ? ` to ${to}` : ""} not followed (the client follows no redirects)`;
            throw new RedirectError(msg, {
              status: res.status, generationId: gid(),
            });
          }
          if (errBody === undefined) errBody = parseJson((await readError(res)).text);
          cleanup();
          err = errorFromResponse(res.status, redactValue(errBody, key), gid(), parseRetryAfter(res.headers));
          if (!isRetryableStatus(res.status)) throw err;
        } else if (stream && !res.headers.get("content-type")?.includes("json")) {
          clearTimeout(timer);
          if (checking) check("response", opId, validator!.validateResponse(opId, res.status, res.headers.get("content-type") ?? "", undefined));
          const ctl: StreamControl = {
            abort: (idle) => {
              if (idle) why = 4;
              ac.abort();
            },
            done: cleanup,
            readError: (e, partialContent, gid) =>
              why === 3
                ? new AbortError("Request aborted mid-stream", { cause: signal?.reason, status: res.status, generationId: gid, partialContent })
                : why === 4
                  ? new TimeoutError(`No stream data for ${attemptMs} ms (timeoutMs)`, { status: res.status, generationId: gid, partialContent })
                  : new StreamTruncatedError(`Connection lost mid-stream: ${(e as Error)?.message ?? e}`, {
                      status: res.status, generationId: gid, partialContent, cause: e,
                    }),
            redact: (v) => redact(v, key),
            idleTimeoutMs: attemptMs,
            maxLineLength,
            maxPartialContentLength,
            onChunk: checking ? (c) => check("chunk", opId, validator!.validateChunk(opId, c)) : undefined,
          };
          return new Stream(res, ctl);
        } else {
          const { text, over } = await readText(res, maxBodyBytes);
          cleanup();
          if (over) {
            throw new ResponseTooLargeError(`Response body over maxBodyBytes (${maxBodyBytes} bytes); rest not read`, {
              status: res.status, generationId: gid(),
            });
          }
          if (!text) throw new InvalidResponseError(`Empty response body (HTTP ${res.status})`, { status: res.status, generationId: gid() });
          let data: any;
          try {
            data = JSON.parse(text);
          } catch {
            const clean = redactText(text, key); // before cutting: a cut key would no longer match
            throw new InvalidResponseError(`Response body is not JSON (HTTP ${res.status}): ${snippet(clean)}`, {
              status: res.status, generationId: gid(), body: clean.slice(0, 2048),
            });
          }
          if (checking) check("response", opId, validator!.validateResponse(opId, res.status, res.headers.get("content-type") ?? "", data));
          if (data === null || typeof data !== "object") {
            const init = { status: res.status, generationId: gid(), body: data };
            throw new InvalidResponseError(`Response body is not a JSON object (HTTP ${res.status})`, init);
          }
          if (inBand === "throw" || stream) {
            const e = inBandError(data, res.status, gid() ?? (typeof data.id === "string" ? data.id : undefined));
            if (e) throw e;
          }
          if (stream) {
            const init = { status: res.status, generationId: gid(), body: data };
            throw new InvalidResponseError(`Expected text/event-stream, got ${res.headers.get("content-type")}`, init);
          }
          return data;
        }
      } catch (e) {
        cleanup();
        if (e instanceof OpenRouterError) throw e;
        if (why === 3) throw aborted();
        err =
          why === 1 || why === 2
            ? new TimeoutError(
                why === 1
                  ? `Attempt timed out after ${attemptMs} ms (timeoutMs)`
                  : `Deadline of ${totalMs} ms exceeded (totalTimeoutMs)`,
                { cause: e },
              )
            : new ConnectionError(`Connection error: ${(e as Error)?.message ?? e}`, { cause: e });
        if (why === 2) throw err;
      }
      // Retryable failure: wait (server hint or backoff) unless retries or time ran out.
      if (attempt >= retries) throw err;
      const wait = err.retryAfterMs ?? backoffDelay(attempt, retryInitialDelayMs, retryMaxDelayMs);
      if (Date.now() + wait >= deadline) throw err;
      try {
        await sleep(wait, signal);
      } catch {
        throw aborted();
      }
    }
  }

  return {
    chat: { completions: { create: (body: any, o?: RequestOptions) => send("/chat/completions", "createChatCompletion", body, o, body?.stream === true) } as ChatCompletionsResource },
    completions: { create: ((body: any, o?: RequestOptions) => send("/completions", "createCompletion", body, o, body?.stream === true)) } as CompletionsResource,
    raw,
  };
}
