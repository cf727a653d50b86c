/** Severity model shared with Schemathesis/oasdiff: error = contract broken, warning = probably broken, info = note. */
export type Severity = "error" | "warning" | "info";

/**
 * One finding of a conformance check. The client acts on a part of it (`ClientViolation` in src/client/validate.ts).
 */
export interface Violation {
  /** Stable snake_case check id, e.g. `response_body_schema`, `sse_done_terminator`. */
  check: string;
  severity: Severity;
  /** RFC 6901 pointer into the checked payload ("" = the whole payload). SSE chunks: `/events/<n>/data/...`. */
  instancePath: string;
  /** Pointer into the bundled spec (`#/components/schemas/...`), or "" when the check is not schema-driven. */
  schemaPath: string;
  expected?: unknown;
  actual?: unknown;
  message: string;
  /** Where in the exchange: `request.body`, `response.body`, `response.sse[3].data`, `response.headers`, ... */
  location?: string;
}

/** Exchange record, version 1 (one JSON object per JSONL line). */
export interface ExchangeRecord {
  v: 1;
  id?: string;
  ts?: string;
  request: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    /** JSON request body. */
    body?: unknown;
    /** Raw request body when it is not JSON (or not parseable). */
    bodyText?: string;
  };
  response?: {
    status: number;
    headers?: Record<string, string>;
    /** JSON response body. */
    body?: unknown;
    /** Raw text body (SSE kept raw). */
    bodyText?: string;
    /** false when the recording was cut short (client abort, timeout). */
    complete?: boolean;
  };
}

export type Mode = "tolerant" | "strict";

export interface CheckOptions {
  /** tolerant (default): unknown response fields are `info`; strict: they are `error`. */
  mode?: Mode;
  /** Assert `format` keywords (default true). */
  formats?: boolean;
}
