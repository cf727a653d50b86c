/**
 * One HTTP attempt: the request (through fetch, or through openapi-fetch while middleware is registered), and its
 * response turned into the result (a JSON body, or a `Stream` once the headers arrive) or into a typed error.
 * Whether a failed attempt is retried is the retry loop's decision (retry.ts).
 */
import type { Middleware } from "openapi-fetch";
import { abortError, type AbortReason, type AttemptAbort } from "./abort";
import { discard, parseJson, readErrorBody, readText } from "./body";
import { clock } from "./clock";
import {
  ConnectionError,
  InvalidResponseError,
  OpenRouterError,
  RedirectError,
  ResponseTooLargeError,
  StreamTruncatedError,
  TimeoutError,
} from "./errors/classes";
import { errorFromInBand, errorFromResponse, snippet } from "./errors/from-body";
import { redactError } from "./errors/redact";
import { asString, isObject } from "./json";
import type { Config } from "./options";
import type { RawClient } from "./raw";
import { redactText, redactValue } from "./redact";
import { parseRetryAfter, type RetryPolicy } from "./retry";
import { Stream, type StreamControl } from "./stream/stream";
import type { Checks } from "./validate";

/** A client: its settings, and what its attempts send through. */
export interface Transport extends Config {
  /** The openapi-fetch client, once `withRaw` (openrouter-contract/raw) has added it. */
  raw?: RawClient | undefined;
  /** Registered middleware: typed calls go through `raw` while there is any (needs `withRaw`). */
  middleware: Middleware[];
  /** Sends a call through `raw` (set by `withRaw` with it): `error` holds the parsed body of a non-2xx response. */
  post?: ((call: Call, signal: AbortSignal) => Promise<{ response: Response; error?: unknown }>) | undefined;
  checks: Checks | undefined;
}

/**
 * One call, prepared once (request.ts) and sent by each attempt as is: the client's settings with the call's own
 * options (`signal`, `headers`, `timeoutMs`, `totalTimeoutMs`, `maxRetries`, `inBandErrors`) applied.
 */
export interface Call extends RetryPolicy {
  /** The client the call belongs to (not copied: a call object stays small and fast to build). */
  client: Transport;
  path: "/completions" | "/chat/completions";
  opId: string;
  payload: string;
  headers: Record<string, string>;
  /** The bearer token these headers send (scrubbed from every error). */
  key: string;
  stream: boolean;
  inBandErrors: "throw" | "return";
}

/** Sends `call` once under `abort`; resolves to the JSON body or a `Stream`, or throws an `OpenRouterError`. */
export async function attempt(call: Call, abort: AttemptAbort): Promise<unknown> {
  try {
    let res: Response;
    let errBody: unknown;
    if (call.client.middleware.length) {
      ({ response: res, error: errBody } = await call.client.post!(call, abort.signal));
    } else {
      // Redirects are never followed: a cross-origin hop would carry custom credential headers and the body.
      res = await call.client.fetch(call.client.baseUrl + call.path, {
        method: "POST",
        headers: call.headers,
        body: call.payload,
        signal: abort.signal,
        redirect: "manual",
      });
    }
    if (!res.ok) throw await responseError(call, abort, res, errBody);
    if (call.stream && !res.headers.get("content-type")?.includes("json")) {
      abort.stopTimer();
      call.client.checks?.response(call.opId, res, undefined);
      return new Stream(res, streamControl(call, abort, res));
    }
    return await jsonBody(call, abort, res);
  } catch (e) {
    throw e instanceof OpenRouterError ? e : failure(e, abort.reason, call);
  }
}

/** A fetch or body read that failed with a non-typed error, as the typed error its abort reason names. */
function failure(e: unknown, reason: AbortReason | undefined, call: Call): OpenRouterError {
  if (reason === "caller") return abortError(call.signal);
  if (reason === "attempt-timeout") {
    return new TimeoutError(`Attempt timed out after ${call.timeoutMs} ms (timeoutMs)`, { cause: e });
  }
  if (reason === "total-timeout") {
    return new TimeoutError(`Deadline of ${call.totalTimeoutMs} ms exceeded (totalTimeoutMs)`, { cause: e });
  }
  return new ConnectionError(`Connection error: ${(e as Error)?.message ?? e}`, { cause: e });
}

/** The error of a non-2xx response: a redirect (never followed), or the status error built from the body's head. */
async function responseError(
  call: Call,
  abort: AttemptAbort,
  res: Response,
  errBody: unknown,
): Promise<OpenRouterError> {
  const generationId = res.headers.get("x-generation-id") ?? undefined;
  if (res.status < 400) {
    // 3xx, or status 0 for the opaque redirect a browser returns under redirect: "manual".
    discard(res.body);
    const to = res.headers.get("location");
    const msg = `${res.status} Redirect${to ? ` to ${to}` : ""} not followed`;
    return new RedirectError(msg, { status: res.status, generationId });
  }
  if (errBody === undefined) errBody = parseJson((await readErrorBody(res, call.client.maxBodyBytes)).text);
  abort.release();
  const retryAfterMs = parseRetryAfter(res.headers, clock.now());
  return errorFromResponse(res.status, redactValue(errBody, call.key), generationId, retryAfterMs);
}

/** The body of a 2xx JSON response, read up to `maxBodyBytes`; an in-band failure throws `InBandError`. */
async function jsonBody(call: Call, abort: AttemptAbort, res: Response): Promise<unknown> {
  const { maxBodyBytes } = call.client;
  const { status } = res;
  const { text, over } = await readText(res, maxBodyBytes);
  abort.release();
  // Looked up only on error paths (Headers#get is not free on the hot path).
  const gid = () => res.headers.get("x-generation-id") ?? undefined;
  const invalid = (msg: string, body?: unknown) => new InvalidResponseError(msg, { status, generationId: gid(), body });
  if (over) {
    const msg = `Response body over maxBodyBytes (${maxBodyBytes} bytes); rest not read`;
    throw new ResponseTooLargeError(msg, { status, generationId: gid() });
  }
  if (!text) throw invalid(`Empty response body (HTTP ${status})`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    const clean = redactText(text, call.key); // before cutting: a cut key would no longer match
    throw invalid(`Response body is not JSON (HTTP ${status}): ${snippet(clean)}`, clean.slice(0, 2048));
  }
  call.client.checks?.response(call.opId, res, data);
  if (!isObject(data)) throw invalid(`Response body is not a JSON object (HTTP ${status})`, data);
  if (call.inBandErrors === "throw" || call.stream) {
    const e = errorFromInBand(data, status, gid() ?? asString(data.id));
    if (e) throw e;
  }
  if (call.stream) throw invalid(`Expected text/event-stream, got ${res.headers.get("content-type")}`, data);
  return data;
}

/** How a stream aborts, settles, names its read failures and scrubs its errors: through this attempt's abort. */
function streamControl(call: Call, abort: AttemptAbort, res: Response): StreamControl {
  const { checks } = call.client;
  return {
    abort: (idle) => abort.abort(idle ? "idle-timeout" : undefined),
    done: abort.release,
    readError: (e, partialContent, generationId) => {
      const at = { status: res.status, generationId, partialContent };
      if (abort.reason === "caller") return abortError(call.signal, "Request aborted mid-stream", at);
      if (abort.reason === "idle-timeout") {
        return new TimeoutError(`No stream data for ${call.timeoutMs} ms (timeoutMs)`, at);
      }
      return new StreamTruncatedError(`Connection lost mid-stream: ${(e as Error)?.message ?? e}`, { ...at, cause: e });
    },
    redact: (v) => redactError(v, call.key),
    idleTimeoutMs: call.timeoutMs,
    maxLineLength: call.client.maxLineLength,
    maxPartialContentLength: call.client.maxPartialContentLength,
    onChunk: checks ? (c) => checks.chunk(call.opId, c) : undefined,
  };
}
