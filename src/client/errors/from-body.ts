/**
 * Typed errors from what a server sent. OpenRouter reports failures with one error object in three places: the
 * `error` of a non-2xx body, the `choices[].error` (or top-level `error`) of a 200 body, and the `error` of a
 * stream chunk. `readErrorObject` is the one reader of that object; the three constructors below differ only in
 * where they find it, the class, and the message they build.
 */
import { asString, isArray, isObject, type JsonObject } from "../json";
import {
  InBandError,
  StreamError,
  errorClassForStatus,
  type OpenRouterError,
  type OpenRouterErrorInit,
} from "./classes";

/** The fields of an OpenRouter error object, each kept only if it has the documented type. */
export interface ErrorFields extends OpenRouterErrorInit {
  /** Not an error field: each constructor builds its message around it. */
  message: string | undefined;
}

/** Reads an error object (anything else reads as an object without fields). */
export function readErrorObject(e: unknown): ErrorFields {
  const o = isObject(e) ? e : {};
  return {
    code: typeof o.code === "number" ? o.code : asString(o.code),
    message: asString(o.message),
    metadata: o.metadata,
    errorType: asString(o.error_type) ?? (isObject(o.metadata) ? asString(o.metadata.error_type) : undefined),
    availability: o.availability,
  };
}

/** Short, single-line excerpt of a non-JSON body (e.g. an HTML 502 page) for error messages. */
export function snippet(text: string, max = 200): string {
  // Only the head can show up in the excerpt, and `[^<>]` stops each tag match at the next "<": linear time even
  // on a body of many "<" (`[^>]*` rescanned to the end from every "<": 200 KB of "<" took a minute).
  const s = text
    .slice(0, 16384)
    .replace(/<[^<>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** `Stream error (code): message`: what a failure reported with status 200 says. */
const described = (what: string, f: ErrorFields, fallback: string) =>
  `${what}${f.code === undefined ? "" : ` (${f.code})`}: ${f.message ?? fallback}`;

/** The typed error for a non-2xx response body (parsed JSON or raw text). */
export function errorFromResponse(
  status: number,
  body: unknown,
  generationId: string | undefined,
  retryAfterMs?: number,
): OpenRouterError {
  const e = isObject(body) ? body.error : undefined;
  const f = readErrorObject(e);
  const excerpt = typeof body === "string" ? snippet(body) : "";
  const msg = f.message ?? (excerpt || (asString(e) ?? "(no message)"));
  // The hint of an availability error, in seconds; a negative or non-finite one is ignored.
  const ra = (f.availability as { retry_after?: unknown } | undefined)?.retry_after;
  const Cls = errorClassForStatus(status);
  return new Cls(`${status} ${msg}`, {
    ...f,
    status,
    generationId: generationId ?? (isObject(body) ? asString(body.id) : undefined),
    body: typeof body === "string" ? body.slice(0, 2048) : body,
    retryAfterMs: retryAfterMs ?? (typeof ra === "number" && ra >= 0 && ra < Infinity ? ra * 1000 : undefined),
  });
}

/**
 * The `InBandError` of a 200 JSON body that reports a failed generation (`finish_reason: "error"` or an error
 * object on a choice, or a top-level `error` object); undefined for a body that reports none.
 */
export function errorFromInBand(
  data: JsonObject,
  status: number,
  generationId: string | undefined,
): InBandError | undefined {
  let e: unknown;
  let content: unknown;
  if (isArray(data.choices)) {
    const failed = (c: unknown): c is JsonObject => isObject(c) && (c.finish_reason === "error" || isObject(c.error));
    const c = data.choices.find(failed);
    if (!c) return undefined;
    e = c.error;
    // A message that is not an object has no content; `text` is read only when there is no message.
    content = c.message ? (isObject(c.message) ? c.message.content : undefined) : c.text;
  } else if (isObject(data.error)) {
    e = data.error;
  } else return undefined;
  const f = readErrorObject(e);
  return new InBandError(described("Generation failed", f, "finish_reason: error"), {
    ...f,
    status,
    generationId,
    body: data,
    partialContent: asString(content),
  });
}

/**
 * The `StreamError` of an error chunk (a top-level `error`, or choice 0 with `finish_reason: "error"`);
 * `at` holds the stream's status, generation id and partial content.
 */
export function errorFromChunk(chunk: JsonObject, at: OpenRouterErrorInit): StreamError {
  const c = isObject(chunk.choices) ? chunk.choices[0] : undefined;
  const f = readErrorObject(isObject(chunk.error) ? chunk.error : isObject(c) ? c.error : undefined);
  const msg = described("Stream error", f, asString(chunk.error) ?? "Stream error");
  return new StreamError(msg, { ...at, ...f, body: chunk });
}
