/**
 * Typed errors. Every error thrown by the client is an `OpenRouterError`.
 *
 * Each class is defined once, and its definition is its only listing: a static block gives it its `name` and, for
 * an HTTP status error, its status, from which `errorClassForStatus` reads. index.ts re-exports this module whole.
 *
 * Security: errors never hold the Request, the request headers or the client options, so the API key cannot
 * leak through `message`, `stack`, `util.inspect` or `JSON.stringify`. Server-provided text (bodies, messages)
 * is scrubbed of the API key before it is stored, and every error is scrubbed again on its way out
 * (errors/redact.ts).
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

const byStatus: Record<number, typeof OpenRouterError> = {};

/** The fields an error takes from its init. */
const FIELDS = "status code metadata generationId body retryAfterMs errorType availability partialContent".split(
  " ",
) as (keyof OpenRouterErrorInit)[];

/**
 * Names the class on its prototype (set before any instance exists, so `stack` starts with the right name; a string
 * literal, so it survives minification) and registers it as the class of `status`. Called as `define(this, …)`: a
 * class body that names its own class is emitted by esbuild as `class _Name`, which traces and `util.inspect` print.
 */
function define(C: { prototype: Error }, name: string, status?: number): void {
  C.prototype.name = name;
  if (status) byStatus[status] = C as typeof OpenRouterError;
}

export class OpenRouterError extends Error {
  static {
    define(this, "OpenRouterError");
  }
  /** HTTP status of the response (200 for in-band and mid-stream errors); undefined without a response. */
  declare status: number | undefined;
  /** `error.code` from the body: an integer (HTTP-like) or a string (e.g. "server_error"). */
  declare code: number | string | undefined;
  /** `error.metadata` from the body (provider, moderation, availability details). */
  declare metadata: unknown;
  /** `X-Generation-Id` header, or the body/chunk `id`. */
  declare generationId: string | undefined;
  /** Parsed error body (JSON), a text snippet for non-JSON bodies, or the error chunk for stream errors. */
  declare body: unknown;
  /** Server-requested delay before retrying (retry-after-ms, Retry-After, or `error.availability.retry_after`). */
  declare retryAfterMs: number | undefined;
  /** `error.error_type` (or `error.metadata.error_type`), e.g. "rate_limit_exceeded", "provider_overloaded". */
  declare errorType: string | undefined;
  /** `error.availability` of availability errors (code, retryable, fallback_models, ...). */
  declare availability: unknown;
  /**
   * Content generated before the failure: choice 0's `delta.content`/`text` received so far (stream errors,
   * truncation, mid-stream timeout/abort) or `message.content` of an in-band error. Undefined otherwise.
   */
  declare partialContent: string | undefined;
  constructor(message: string, init: OpenRouterErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    // Every field is an own property, in this order, even when undefined.
    for (const k of FIELDS) (this as Record<string, unknown>)[k] = init[k];
  }
  /** Own fields plus `name` and `message` (no stack, no cause). */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message };
  }
}

/** 400: invalid or missing parameters, unknown model, context too long. */
export class BadRequestError extends OpenRouterError {
  static {
    define(this, "BadRequestError", 400);
  }
}
/** 401: missing, invalid or disabled API key. */
export class AuthenticationError extends OpenRouterError {
  static {
    define(this, "AuthenticationError", 401);
  }
}
/** 402: insufficient credits. */
export class PaymentRequiredError extends OpenRouterError {
  static {
    define(this, "PaymentRequiredError", 402);
  }
}
/** 403: permission denied, guardrail or moderation block, region restriction. */
export class PermissionDeniedError extends OpenRouterError {
  static {
    define(this, "PermissionDeniedError", 403);
  }
}
/** 404: no endpoint for the model under the given preferences. */
export class NotFoundError extends OpenRouterError {
  static {
    define(this, "NotFoundError", 404);
  }
}
/** 408: request timed out server-side (retried). */
export class RequestTimeoutError extends OpenRouterError {
  static {
    define(this, "RequestTimeoutError", 408);
  }
}
/** 409: conflict (retried). */
export class ConflictError extends OpenRouterError {
  static {
    define(this, "ConflictError", 409);
  }
}
/** 413: payload too large. */
export class PayloadTooLargeError extends OpenRouterError {
  static {
    define(this, "PayloadTooLargeError", 413);
  }
}
/** 422: unprocessable entity. */
export class UnprocessableEntityError extends OpenRouterError {
  static {
    define(this, "UnprocessableEntityError", 422);
  }
}
/** 429: rate limited (retried; honours Retry-After). */
export class RateLimitError extends OpenRouterError {
  static {
    define(this, "RateLimitError", 429);
  }
}
/** 5xx, including 502 (provider error), 503 (no provider / overloaded), 524 (edge timeout), 529 (overloaded). */
export class ServerError extends OpenRouterError {
  static {
    define(this, "ServerError");
  }
}

/** Network failure before or while receiving the response (DNS, refused, reset). `cause` has the fetch error. */
export class ConnectionError extends OpenRouterError {
  static {
    define(this, "ConnectionError");
  }
}
/** A stream ended (cleanly or by a connection reset) before `data: [DONE]`. Keeps `partialContent`. */
export class StreamTruncatedError extends ConnectionError {
  static {
    define(this, "StreamTruncatedError");
  }
}
/** `timeoutMs` (per attempt / stream idle) or `totalTimeoutMs` (overall deadline) elapsed. */
export class TimeoutError extends OpenRouterError {
  static {
    define(this, "TimeoutError");
  }
}
/** The caller's AbortSignal fired. `cause` is `signal.reason`. */
export class AbortError extends OpenRouterError {
  static {
    define(this, "AbortError");
  }
}
/** A 200 response that is not a valid body: empty, not JSON, not SSE, undecodable SSE data, oversized SSE line. */
export class InvalidResponseError extends OpenRouterError {
  static {
    define(this, "InvalidResponseError");
  }
}
/** A 2xx JSON body larger than `maxBodyBytes`: the rest is not read and the connection is closed. */
export class ResponseTooLargeError extends InvalidResponseError {
  static {
    define(this, "ResponseTooLargeError");
  }
}
/** A 3xx response: the client never follows redirects, so credentials and bodies never go to another origin. */
export class RedirectError extends OpenRouterError {
  static {
    define(this, "RedirectError");
  }
}
/**
 * The request could not be built and nothing was sent: a header value with CR, LF, NUL or non-Latin-1 characters
 * (in `apiKey`, `appTitle`, `appUrl`, `headers` or a call's `headers`), or a body `JSON.stringify` rejects
 * (BigInt, circular reference). The message names the option or the body's JSON pointer, never the value.
 */
export class InvalidRequestError extends OpenRouterError {
  static {
    define(this, "InvalidRequestError");
  }
}
/**
 * A 200 JSON response that reports a failed generation: `choices[].finish_reason: "error"` with
 * `choices[].error`, or a top-level `error` object. `body` is the full response (partial content included).
 */
export class InBandError extends OpenRouterError {
  static {
    define(this, "InBandError");
  }
}
/** A mid-stream error chunk (top-level `error`, `finish_reason: "error"`). Keeps `partialContent` and the id. */
export class StreamError extends OpenRouterError {
  static {
    define(this, "StreamError");
  }
}
/** `validate: "strict"` and the injected validator reported errors. */
export class ValidationError extends OpenRouterError {
  static {
    define(this, "ValidationError");
  }
  violations: ReadonlyArray<{ instancePath: string; message: string; severity: string; check: string }>;
  constructor(message: string, violations: ValidationError["violations"], init: OpenRouterErrorInit = {}) {
    super(message, init);
    this.violations = violations;
  }
}

/** The error class for an HTTP status (`RedirectError` for 3xx, `OpenRouterError` for unmapped 4xx such as 412). */
export function errorClassForStatus(status: number): typeof OpenRouterError {
  return byStatus[status] ?? (status >= 500 ? ServerError : status < 400 ? RedirectError : OpenRouterError);
}
