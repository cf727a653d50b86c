/**
 * Client and call options: their types and defaults, and the headers every request sends (auth, attribution,
 * the caller's), checked once at creation so an invalid value fails there, naming the option.
 */
import type { Middleware } from "openapi-fetch";
import { InvalidRequestError } from "./errors/classes";
import type { ClientValidator, OnViolation, ValidateMode } from "./validate";

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
  onViolation?: OnViolation | undefined;
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

// Every option name (test/client/options.test.ts passes a `Required<ClientOptions>`, so a new option fails there
// until it is listed). Strings, not objects: this check ships in every app's bundle.
const CLIENT_OPTIONS = (
  "apiKey baseUrl appUrl appTitle headers fetch timeoutMs totalTimeoutMs maxRetries retryInitialDelayMs " +
  "retryMaxDelayMs middleware validate validator onViolation inBandErrors maxLineLength maxBodyBytes " +
  "maxPartialContentLength"
).split(" ");
const REQUEST_OPTIONS = "signal headers timeoutMs totalTimeoutMs maxRetries inBandErrors".split(" ");
/** Other SDKs' names for ours (openai: baseURL, defaultHeaders; @openrouter/sdk: serverURL, httpReferer). */
const ALIASES: Record<string, string> = {
  baseurl: "baseUrl",
  serverurl: "baseUrl",
  defaultheaders: "headers",
  httpreferer: "appUrl",
};

/** Levenshtein distance, case-insensitive (option names are short, so the quadratic table is tiny). */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length]!;
}

/**
 * Refuses an option this client does not have (in JavaScript a misspelt `baseURL` would otherwise be ignored and the
 * request go to openrouter.ai): `InvalidRequestError` naming the closest known option.
 */
function checkOptionNames(options: object, names: string[], where: string): void {
  for (const name of Object.keys(options)) {
    if (names.includes(name)) continue;
    const near = names.map((k) => [distance(name, k), k] as const).sort((p, q) => p[0] - q[0])[0]!;
    const guess = ALIASES[name.toLowerCase()] ?? (near[0] <= Math.max(3, name.length / 3) ? near[1] : undefined);
    throw new InvalidRequestError(
      `Unknown ${where} option "${name}": ${guess ? `did you mean "${guess}"?` : `known options: ${names.join(", ")}`}`,
    );
  }
}

/** The client's options with defaults applied, plus the checked headers and the key they send. */
export interface Config {
  baseUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
  totalTimeoutMs: number | undefined;
  maxRetries: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  inBandErrors: "throw" | "return";
  maxLineLength: number;
  maxBodyBytes: number;
  maxPartialContentLength: number;
  /** Auth, attribution and the client's `headers` (lower-case names): also the raw client's headers. */
  headers: Record<string, string>;
  /** Request headers of a JSON call and of a streaming call. */
  json: Record<string, string>;
  sse: Record<string, string>;
  /** The bearer token the client's headers send (redacted from every error). */
  key: string;
}

/** Which option a default header comes from (for error messages). */
const OPTION_OF: Record<string, string> = { authorization: "apiKey", "http-referer": "appUrl" };

/** Copies `init` into `target`; an invalid header throws `InvalidRequestError` naming it (never its value). */
export function mergeHeaders(target: Record<string, string>, init: HeadersInit | undefined, where: string) {
  if (init) {
    const h = new Headers();
    for (const [k, v] of init instanceof Headers ? init : Array.isArray(init) ? init : Object.entries(init)) {
      try {
        h.append(k!, v!);
      } catch {
        const opt = where ? `${where}["${k}"]` : (OPTION_OF[k!] ?? "appTitle");
        throw new InvalidRequestError(`Invalid header in ${opt}: expected a token name, a Latin-1 value, no CR/LF/NUL`);
      }
    }
    h.forEach((v, k) => void (target[k] = v));
  }
  return target;
}

/** Refuses a call option this client does not have (e.g. openai's `timeout`), naming the closest one. */
export const checkRequestOptions = (o: RequestOptions) => checkOptionNames(o, REQUEST_OPTIONS, "request");

/** The bearer token a request sends (the API key, or an `authorization` header that overrides it). */
export const bearerToken = (h: Record<string, string>) => h.authorization?.replace(/^bearer\s+/i, "").trim() ?? "";

export function resolveOptions(options: ClientOptions): Config {
  checkOptionNames(options, CLIENT_OPTIONS, "client");
  const { apiKey, appUrl, appTitle } = options;
  const userFetch = options.fetch;
  const headers: Record<string, string> = {};
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  if (appUrl) headers["http-referer"] = appUrl;
  if (appTitle) headers["x-title"] = headers["x-openrouter-title"] = appTitle;
  // Fail fast (naming the option, never the value) on e.g. CR/LF in apiKey, a non-Latin-1 appTitle.
  mergeHeaders({}, headers, "");
  mergeHeaders(headers, options.headers, "headers");
  return {
    baseUrl: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ""),
    fetch: (input, init) => (userFetch ?? globalThis.fetch)(input, init),
    timeoutMs: options.timeoutMs ?? 600_000,
    totalTimeoutMs: options.totalTimeoutMs,
    maxRetries: options.maxRetries ?? 2,
    retryInitialDelayMs: options.retryInitialDelayMs ?? 500,
    retryMaxDelayMs: options.retryMaxDelayMs ?? 8000,
    inBandErrors: options.inBandErrors ?? "throw",
    maxLineLength: options.maxLineLength ?? 16 * 1024 * 1024,
    maxBodyBytes: options.maxBodyBytes ?? 32 * 1024 * 1024,
    maxPartialContentLength: options.maxPartialContentLength ?? 1024 * 1024,
    headers,
    json: { "content-type": "application/json", accept: "application/json", ...headers },
    sse: { "content-type": "application/json", accept: "text/event-stream", ...headers },
    key: bearerToken(headers),
  };
}
