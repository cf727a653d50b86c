/**
 * Typed errors. Every error thrown by the client is an `OpenRouterError`.
 *
 * Security: errors never hold the Request, the request headers or the client options, so the API key cannot
 * leak through `message`, `stack`, `util.inspect` or `JSON.stringify`. Server-provided text (bodies, messages)
 * is scrubbed of the API key before it is stored (see `redact` in client.ts).
 */

export interface OpenRouterErrorInit {
  status?: number | undefined;
  code?: number | string | undefined;
  metadata?: unknown;
  generationId?: string | undefined;
  body?: unknown;
  retryAfterMs?: number | undefined;
  errorType?: string | undefined;
  availability?: unknown;
  partialContent?: string | undefined;
  cause?: unknown;
}

export class OpenRouterError extends Error {
  /** HTTP status of the response (200 for in-band and mid-stream errors); undefined without a response. */
  status: number | undefined;
  /** `error.code` from the body: an integer (HTTP-like) or a string (e.g. "server_error"). */
  code: number | string | undefined;
  /** `error.metadata` from the body (provider, moderation, availability details). */
  metadata: unknown;
  /** `X-Generation-Id` header, or the body/chunk `id`. */
  generationId: string | undefined;
  /** Parsed error body (JSON), a text snippet for non-JSON bodies, or the error chunk for stream errors. */
  body: unknown;
  /** Server-requested delay before retrying (retry-after-ms, Retry-After, or `error.availability.retry_after`). */
  retryAfterMs: number | undefined;
  /** `error.error_type` (or `error.metadata.error_type`), e.g. "rate_limit_exceeded", "provider_overloaded". */
  errorType: string | undefined;
  /** `error.availability` of availability errors (code, retryable, fallback_models, ...). */
  availability: unknown;
  /**
   * Content generated before the failure: choice 0's `delta.content`/`text` received so far (stream errors,
   * truncation, mid-stream timeout/abort) or `message.content` of an in-band error. Undefined otherwise.
   */
  partialContent: string | undefined;
  constructor(message: string, init: OpenRouterErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.metadata = init.metadata;
    this.generationId = init.generationId;
    this.body = init.body;
    this.retryAfterMs = init.retryAfterMs;
    this.errorType = init.errorType;
    this.availability = init.availability;
    this.partialContent = init.partialContent;
  }
  /** Own fields plus `name` and `message` (no stack, no cause). */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message };
  }
}

/** 400: invalid or missing parameters, unknown model, context too long. */
export class BadRequestError extends OpenRouterError {}
/** 401: missing, invalid or disabled API key. */
export class AuthenticationError extends OpenRouterError {}
/** 402: insufficient credits. */
export class PaymentRequiredError extends OpenRouterError {}
/** 403: permission denied, guardrail or moderation block, region restriction. */
export class PermissionDeniedError extends OpenRouterError {}
/** 404: no endpoint for the model under the given preferences. */
export class NotFoundError extends OpenRouterError {}
/** 408: request timed out server-side (retried). */
export class RequestTimeoutError extends OpenRouterError {}
/** 409: conflict (retried). */
export class ConflictError extends OpenRouterError {}
/** 413: payload too large. */
export class PayloadTooLargeError extends OpenRouterError {}
/** 422: unprocessable entity. */
export class UnprocessableEntityError extends OpenRouterError {}
/** 429: rate limited (retried; honours Retry-After). */
export class RateLimitError extends OpenRouterError {}
/** 5xx, including 502 (provider error), 503 (no provider / overloaded), 524 (edge timeout), 529 (overloaded). */
export class ServerError extends OpenRouterError {}

/** Network failure before or while receiving the response (DNS, refused, reset). `cause` has the fetch error. */
export class ConnectionError extends OpenRouterError {}
/** A stream ended (cleanly or by a connection reset) before `data: [DONE]`. Keeps `partialContent`. */
export class StreamTruncatedError extends ConnectionError {}
/** `timeoutMs` (per attempt / stream idle) or `totalTimeoutMs` (overall deadline) elapsed. */
export class TimeoutError extends OpenRouterError {}
/** The caller's AbortSignal fired. `cause` is `signal.reason`. */
export class AbortError extends OpenRouterError {}
/** A 200 response that is not a valid body: empty, not JSON, not SSE, undecodable SSE data, oversized SSE line. */
export class InvalidResponseError extends OpenRouterError {}
/** A 2xx JSON body larger than `maxBodyBytes`: the rest is not read and the connection is closed. */
export class ResponseTooLargeError extends InvalidResponseError {}
/** A 3xx response: the client never follows redirects, so credentials and bodies never go to another origin. */
export class RedirectError extends OpenRouterError {}
/**
 * The request could not be built and nothing was sent: a header value with CR, LF, NUL or non-Latin-1 characters
 * (in `apiKey`, `appTitle`, `appUrl`, `headers` or a call's `headers`), or a body `JSON.stringify` rejects
 * (BigInt, circular reference). The message names the option or the body's JSON pointer, never the value.
 */
export class InvalidRequestError extends OpenRouterError {}
/**
 * A 200 JSON response that reports a failed generation: `choices[].finish_reason: "error"` with
 * `choices[].error`, or a top-level `error` object. `body` is the full response (partial content included).
 */
export class InBandError extends OpenRouterError {}
/** A mid-stream error chunk (top-level `error`, `finish_reason: "error"`). Keeps `partialContent` and the id. */
export class StreamError extends OpenRouterError {}
/** `validate: "strict"` and the injected validator reported errors. */
export class ValidationError extends OpenRouterError {
  violations: ReadonlyArray<{ instancePath: string; message: string; severity: string; check: string }>;
  constructor(message: string, violations: ValidationError["violations"], init: OpenRouterErrorInit = {}) {
    super(message, init);
    this.violations = violations;
  }
}

// Names live on the prototypes (set before any instance exists, so `stack` starts with the right name)
// and are string literals, so they survive minification.
const names: Array<[{ prototype: Error }, string]> = [
  [OpenRouterError, "OpenRouterError"], [BadRequestError, "BadRequestError"], [AuthenticationError, "AuthenticationError"],
  [PaymentRequiredError, "PaymentRequiredError"], [PermissionDeniedError, "PermissionDeniedError"],
  [NotFoundError, "NotFoundError"], [RequestTimeoutError, "RequestTimeoutError"], [ConflictError, "ConflictError"],
  [PayloadTooLargeError, "PayloadTooLargeError"], [UnprocessableEntityError, "UnprocessableEntityError"],
  [RateLimitError, "RateLimitError"], [ServerError, "ServerError"], [ConnectionError, "ConnectionError"],
  [StreamTruncatedError, "StreamTruncatedError"], [TimeoutError, "TimeoutError"], [AbortError, "AbortError"],
  [InvalidResponseError, "InvalidResponseError"], [InBandError, "InBandError"], [StreamError, "StreamError"],
  [ValidationError, "ValidationError"], [ResponseTooLargeError, "ResponseTooLargeError"],
  [RedirectError, "RedirectError"], [InvalidRequestError, "InvalidRequestError"],
];
for (const [C, n] of names) C.prototype.name = n;

const byStatus: Record<number, typeof OpenRouterError> = {
  400: BadRequestError,
  401: AuthenticationError,
  402: PaymentRequiredError,
  403: PermissionDeniedError,
  404: NotFoundError,
  408: RequestTimeoutError,
  409: ConflictError,
  413: PayloadTooLargeError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** The error class for an HTTP status (`RedirectError` for 3xx, `OpenRouterError` for unmapped 4xx such as 412). */
export function errorClassForStatus(status: number): typeof OpenRouterError {
  return byStatus[status] ?? (status >= 500 ? ServerError : status < 400 ? RedirectError : OpenRouterError);
}

/** Short, single-line excerpt of a non-JSON body (e.g. an HTML 502 page) for error messages. */
export function snippet(text: string, max = 200): string {
  // Only the head can show up in the excerpt, and `[^<>]` stops each tag match at the next "<": linear time even
  // on a body of many "<" (`[^>]*` rescanned to the end from every "<": 200 KB of "<" took a minute).
  const s = text.slice(0, 16384).replace(/<[^<>]*>/g, " ").replace(/\s+/g, " ").trim();
  return s.length > max ? s.slice(0, max) + "…" : s;
}

/** A non-negative finite number, else undefined (server hints such as a negative `retry_after` are ignored). */
const nonNegative = (n: unknown) => (typeof n === "number" && n >= 0 && n < Infinity ? n : undefined);

/** Builds the typed error for a non-2xx response body (parsed JSON or raw text). */
export function errorFromResponse(status: number, body: unknown, generationId: string | undefined, retryAfterMs?: number): OpenRouterError {
  const e = body !== null && typeof body === "object" ? (body as { error?: unknown }).error : undefined;
  const obj = e !== null && typeof e === "object" ? (e as { code?: unknown; message?: unknown; metadata?: any; error_type?: unknown; availability?: any }) : undefined;
  const code = obj && (typeof obj.code === "number" || typeof obj.code === "string") ? obj.code : undefined;
  const excerpt = typeof body === "string" ? snippet(body) : "";
  let msg: string;
  if (obj && typeof obj.message === "string") msg = obj.message;
  else if (excerpt) msg = excerpt;
  else if (typeof e === "string") msg = e;
  else msg = "(no message)";
  const Cls = errorClassForStatus(status);
  const ra = nonNegative(obj?.availability?.retry_after);
  return new Cls(`${status} ${msg}`, {
    status,
    code,
    metadata: obj?.metadata,
    generationId: generationId ?? (typeof (body as { id?: unknown })?.id === "string" ? (body as { id: string }).id : undefined),
    body: typeof body === "string" && body.length > 2048 ? body.slice(0, 2048) : body,
    retryAfterMs: retryAfterMs ?? (ra === undefined ? undefined : ra * 1000),
    errorType: typeof obj?.error_type === "string" ? obj.error_type : typeof obj?.metadata?.error_type === "string" ? obj.metadata.error_type : undefined,
    availability: obj?.availability,
  });
}
