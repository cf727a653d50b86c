import { baseMediaType, findMedia, findResponse, opName, type OperationSpec } from "../spec/operations";
import { readErrorObject } from "../client/errors/from-body";
import type { Contract } from "./contract";
import { checkEventStream } from "./sse";
import type { CheckOptions, ExchangeRecord, Violation } from "./types";
import { dedupe, preview, violation } from "./violations";

export interface ExchangeResult {
  /** operationId (or "METHOD path") of the matched operation; undefined when undocumented. */
  operation?: string;
  violations: Violation[];
}

function lowerHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h || typeof h !== "object") return out;
  if (Array.isArray(h)) {
    for (const e of h)
      if (e && typeof e === "object" && "name" in e)
        out[String((e as { name: unknown }).name).toLowerCase()] = String((e as { value?: unknown }).value ?? "");
    return out;
  }
  const o = h as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    out[k.toLowerCase()] = typeof v === "string" ? v : Array.isArray(v) ? v.join(", ") : String(v);
  }
  return out;
}

/** Validate a request body against the operation's request schema (JSON media type). */
export function requestViolations(
  contract: Contract,
  op: OperationSpec,
  body: unknown,
  contentType = "application/json",
): Violation[] {
  const out: Violation[] = [];
  const req = op.request;
  if (!req) return out;
  const media = findMedia(req.content, contentType);
  if (!media) {
    const documented = req.content.map((m) => m.mediaType);
    out.push(
      violation("request_content_type_documented", "error", {
        schemaPath: `#${op.pointer.replace(/^#/, "")}/requestBody/content`,
        expected: documented,
        actual: contentType,
        message:
          `request content-type ${JSON.stringify(contentType)} is not documented ` +
          `(documented: ${documented.join(", ")})`,
        location: "request.headers",
      }),
    );
    return out;
  }
  if (body === undefined) {
    if (req.required) {
      out.push(
        violation("request_body_schema", "error", {
          schemaPath: `${op.pointer}/requestBody/required`,
          expected: "a body",
          actual: "absent",
          message: "request body is required but missing",
          location: "request.body",
        }),
      );
    }
    return out;
  }
  if (media.schemaPointer)
    out.push(
      ...contract.validate(media.schemaPointer, body, { check: "request_body_schema", location: "request.body" }),
    );
  return out;
}

/** Validate a JSON response body (status + content type) against the operation. */
export function responseViolations(
  contract: Contract,
  op: OperationSpec,
  status: number,
  contentType: string,
  body: unknown,
  opts: CheckOptions & { location?: string } = {},
): Violation[] {
  const out: Violation[] = [];
  const r = findResponse(op, status);
  const location = opts.location ?? "response.body";
  if (!r) {
    out.push(
      violation("status_code_documented", "error", {
        schemaPath: `${op.pointer}/responses`,
        expected: op.responses.map((x) => x.status),
        actual: status,
        message: `Received ${status}; documented ${op.responses.map((x) => x.status).join(", ")}`,
        location: "response.status",
      }),
    );
    return out;
  }
  if (!r.content.length) return out;
  const media = findMedia(r.content, contentType);
  if (!media) {
    const documented = r.content.map((m) => m.mediaType);
    out.push(
      violation("content_type_documented", "error", {
        schemaPath: `${r.pointer}/content`,
        expected: documented,
        actual: contentType || "(none)",
        message:
          `content-type ${JSON.stringify(contentType || "")} is not documented for ${status} ` +
          `(documented: ${documented.join(", ")})`,
        location: "response.headers",
      }),
    );
    return out;
  }
  if (!media.schemaPointer) return out;
  if (media.kind === "json")
    out.push(
      ...contract.validateWithUndocumented(
        media.schemaPointer,
        body,
        { check: "response_body_schema", location },
        opts.mode === "strict" ? "error" : "info",
      ),
    );
  else out.push(...contract.validate(media.schemaPointer, body, { check: "response_body_schema", location }));
  if (status >= 400 && body && typeof body === "object" && !Array.isArray(body)) {
    // The client's reader of OpenRouter error objects: a `code` that is not a number or string is the schema's
    // finding, not this one's.
    const { code } = readErrorObject((body as Record<string, unknown>).error);
    if (code !== undefined && Number(code) !== status) {
      out.push(
        violation("error_code_matches_status", "warning", {
          instancePath: "/error/code",
          expected: status,
          actual: preview(code),
          message: `error.code ${JSON.stringify(code)} differs from the HTTP status ${status}`,
          location,
        }),
      );
    }
  }
  return out;
}

/** Run every exchange check (the request, response and stream check ids of the README table) on one record. */
export function checkExchange(contract: Contract, rec: ExchangeRecord, opts: CheckOptions = {}): ExchangeResult {
  const out: Violation[] = [];
  const req = rec.request;
  const method = String(req?.method ?? "");
  const url = String(req?.url ?? "");
  const m = contract.match(method, url);
  if (!m.op) {
    const methods = m.pathOnly?.map((o) => o.method.toUpperCase());
    out.push(
      violation("operation_documented", "error", {
        schemaPath: "#/paths",
        expected: methods ?? contract.operations.map((o) => `${o.method.toUpperCase()} ${o.path}`),
        actual: `${method.toUpperCase()} ${m.path}`,
        message: methods
          ? `method ${method.toUpperCase()} is not documented for ${m.path} (documented: ${methods.join(", ")})`
          : `${method.toUpperCase()} ${m.path} is not a documented operation`,
        location: "request",
      }),
    );
    return { violations: out };
  }
  const op = m.op;
  const reqHeaders = lowerHeaders(req.headers);
  // Request side.
  if (op.secured) {
    const auth = reqHeaders.authorization;
    if (auth === undefined || auth === "") {
      out.push(
        violation("request_required_headers", "error", {
          schemaPath: "#/security",
          expected: "Authorization: Bearer …",
          actual: "absent",
          message: "Authorization header missing (the operation requires bearer auth)",
          location: "request.headers",
        }),
      );
    } else if (!/^bearer\s+\S/i.test(auth) && !/redacted/i.test(auth)) {
      out.push(
        violation("request_required_headers", "warning", {
          schemaPath: "#/security",
          expected: "Bearer <token>",
          actual: "non-bearer value",
          message: "Authorization header is not a bearer token",
          location: "request.headers",
        }),
      );
    }
  }
  for (const p of op.parameters) {
    if (p.in !== "header") continue;
    const raw = reqHeaders[p.name];
    if (raw === undefined) {
      if (p.required)
        out.push(
          violation("request_required_headers", "error", {
            schemaPath: p.schemaPointer ?? `${op.pointer}/parameters`,
            expected: p.name,
            actual: "absent",
            message: `required request header ${p.name} missing`,
            location: "request.headers",
          }),
        );
      continue;
    }
    if (!p.schemaPointer || /redacted/i.test(raw)) continue;
    const coerced =
      raw !== "" && !Number.isNaN(Number(raw)) ? Number(raw) : raw === "true" ? true : raw === "false" ? false : raw;
    let vs = contract.validate(p.schemaPointer, coerced, {
      check: "request_required_headers",
      location: `request.headers.${p.name}`,
    });
    if (
      vs.length &&
      coerced !== raw &&
      contract.validate(p.schemaPointer, raw, { check: "request_required_headers", location: "" }).length === 0
    )
      vs = [];
    out.push(...vs.map((v) => ({ ...v, message: `header ${p.name}: ${v.message}` })));
  }
  let reqBody: unknown = req.body;
  if (reqBody === undefined && typeof req.bodyText === "string" && req.bodyText !== "") {
    try {
      reqBody = JSON.parse(req.bodyText);
    } catch {
      out.push(
        violation("request_body_schema", "error", {
          expected: "JSON",
          actual: preview(req.bodyText),
          message: "request body is not JSON",
          location: "request.body",
        }),
      );
      reqBody = undefined;
    }
  }
  out.push(...requestViolations(contract, op, reqBody, reqHeaders["content-type"] ?? "application/json"));
  const res = rec.response;
  if (!res) return { operation: opName(op), violations: dedupe(out) };
  const status = Number(res.status);
  const resHeaders = lowerHeaders(res.headers);
  const ct = resHeaders["content-type"] ?? "";
  if (status >= 500) {
    out.push(
      violation("not_a_server_error", "info", {
        actual: status,
        message: `server error ${status}`,
        location: "response.status",
      }),
    );
  }
  const r = findResponse(op, status);
  const media = r ? findMedia(r.content, ct) : undefined;
  const wantsStream = !!(
    reqBody &&
    typeof reqBody === "object" &&
    (reqBody as Record<string, unknown>).stream === true
  );
  if (status >= 200 && status < 300) {
    const isSse = baseMediaType(ct) === "text/event-stream";
    if (wantsStream !== isSse && ct && reqBody !== undefined) {
      out.push(
        violation("stream_mode_consistent", "error", {
          expected: wantsStream ? "text/event-stream" : "application/json",
          actual: baseMediaType(ct),
          message: wantsStream
            ? "request had stream: true but the response is not text/event-stream"
            : "request did not ask for streaming but the response is text/event-stream",
          location: "response.headers",
        }),
      );
    }
  } else if (status >= 400 && baseMediaType(ct) === "text/event-stream") {
    out.push(
      violation("stream_mode_consistent", "error", {
        expected: "application/json error envelope",
        actual: "text/event-stream",
        message: `a ${status} response must be the JSON error envelope, not a stream`,
        location: "response.headers",
      }),
    );
  }
  if (r) {
    for (const h of r.headers) {
      if (h.required && resHeaders[h.name] === undefined) {
        out.push(
          violation("response_headers_conformance", "error", {
            schemaPath: `${r.pointer}/headers`,
            expected: h.name,
            actual: "absent",
            message: `required response header ${h.name} missing`,
            location: "response.headers",
          }),
        );
      } else if (resHeaders[h.name] !== undefined && h.schemaPointer) {
        const raw = resHeaders[h.name]!;
        const coerced =
          raw !== "" && !Number.isNaN(Number(raw))
            ? Number(raw)
            : raw === "true"
              ? true
              : raw === "false"
                ? false
                : raw;
        let vs = contract.validate(h.schemaPointer, coerced, {
          check: "response_headers_conformance",
          location: `response.headers.${h.name}`,
        });
        if (
          vs.length &&
          coerced !== raw &&
          contract.validate(h.schemaPointer, raw, { check: "response_headers_conformance", location: "" }).length === 0
        )
          vs = [];
        out.push(...vs.map((v) => ({ ...v, severity: "warning" as const })));
      }
    }
  }
  if (media && media.kind === "sse") {
    const text = typeof res.bodyText === "string" ? res.bodyText : typeof res.body === "string" ? res.body : undefined;
    if (text === undefined) {
      // Often a recording gap (DevTools HAR exports omit fetch-based SSE bodies), not a server fault.
      out.push(
        violation("sse_not_truncated", res.complete === false ? "info" : "warning", {
          message:
            "text/event-stream response has no recorded body " +
            "(record with createRecorder; HAR exports often omit SSE bodies)",
          location: "response.sse",
        }),
      );
    } else {
      out.push(...checkEventStream(contract, media, text, { mode: opts.mode, complete: res.complete !== false }));
    }
    return { operation: opName(op), violations: dedupe(out) };
  }
  let body: unknown = res.body;
  if (body === undefined && typeof res.bodyText === "string") {
    if (media?.kind === "json" || (!media && /json/.test(ct))) {
      try {
        body = JSON.parse(res.bodyText);
      } catch (e) {
        out.push(
          violation("body_is_json", "error", {
            expected: "JSON",
            actual: preview(res.bodyText),
            message: `response body is not JSON (${(e as Error).message})`,
            location: "response.body",
          }),
        );
        return { operation: opName(op), violations: dedupe(out) };
      }
    } else body = res.bodyText;
  }
  if (body === undefined && res.complete === false) {
    out.push(
      violation("sse_not_truncated", "info", {
        message: "recording incomplete (complete: false); body missing",
        location: "response.body",
      }),
    );
    return { operation: opName(op), violations: dedupe(out) };
  }
  out.push(...responseViolations(contract, op, status, ct, body, opts));
  return { operation: opName(op), violations: dedupe(out) };
}
