// OpenRouter's error envelope, {"error": {"code": <status>, "message": "...", "metadata": {"violations": [...]}}}, as
// the proxy answers a request it rejects (--enforce) or cannot forward. The dev mock (mock/) answers in the same
// envelope and uses this module too; what only Prism's output needs (its `sl-violations`) lives in mock/.
import type { Contract } from "./contract";
import { validateRequest } from "./index";
import { unescapeToken } from "../spec/pointer";
import type { Violation } from "./types";

/** One request violation as it is named in `error.metadata.violations`. */
export interface EnvelopeViolation {
  /** JSON pointer into the request part named by `location` ("" = the whole part). */
  pointer: string;
  /** What was expected, without a validator's "Request body property x.y" prefix, e.g. "must be <= 2". */
  message: string;
  /** The failed keyword (`maximum`, `required`, `type`, `oneOf`, ...) or a code of ours (`invalid_json`, ...). */
  code: string;
  /** Which part of the request: body (default), header, query, path, or request (content type, security). */
  location: "body" | "header" | "query" | "path" | "request";
}

export interface ErrorEnvelope {
  error: { code: number; message: string; metadata?: Record<string, unknown> };
}

export function envelope(code: number, message: string, metadata?: Record<string, unknown>): ErrorEnvelope {
  return { error: metadata ? { code, message, metadata } : { code, message } };
}

/** Drops exact duplicates, keeping the first of each. */
export function dedupe(vs: EnvelopeViolation[]): EnvelopeViolation[] {
  const seen = new Set<string>();
  return vs.filter((v) => {
    const k = `${v.location}\u0000${v.pointer}\u0000${v.code}\u0000${v.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** "body /temperature must be <= 2" style line used to build the human message. */
export function describe(v: EnvelopeViolation): string {
  if (v.location === "request") return v.message;
  const where = v.location === "body" ? v.pointer || "body" : `${v.location} ${v.pointer.slice(1) || ""}`.trim();
  return `${where} ${v.message}`;
}

/** Message naming every violation, e.g. "Invalid request: /temperature must be <= 2; /model is required". */
export function violationsMessage(vs: EnvelopeViolation[], lead = "Invalid request"): string {
  if (vs.length === 0) return lead;
  return `${lead}: ${vs.map(describe).join("; ")}`;
}

/**
 * The violations of a request body, one per real problem. A validator that reports every failing branch of a oneOf
 * (as Prism does) names a `{"role": "user"}` message's `role` as wrong next to the real error; the conformance library
 * narrows each failing oneOf/anyOf to the branch the value was meant for.
 *
 * It validates with the caller's contract (its compiled validators, `formats` and `maxViolations`: past that cap one
 * `violations_capped` entry counts the rest), so the proxy explains with the contract it checks with.
 */
export function createBodyExplainer(contract: Contract) {
  /** Violations of `body` against the operation's request schema; undefined when the library cannot tell. */
  return function explain(path: string, method: string, body: unknown): EnvelopeViolation[] | undefined {
    try {
      return validateRequest(`${method.toUpperCase()} ${path}`, body, { contract })
        .filter((v) => v.severity === "error")
        .map((v): EnvelopeViolation => {
          if (v.check === "violations_capped") {
            return { pointer: "", message: v.message, code: "violations_capped", location: "body" };
          }
          const keyword = unescapeToken(v.schemaPath.slice(v.schemaPath.lastIndexOf("/") + 1));
          // The library points at a missing or unknown property itself and says "<pointer> <what is wrong>".
          const required = v.expected === "present";
          const unknown = keyword === "additionalProperties" || keyword === "unevaluatedProperties";
          const message = unknown
            ? "is not allowed (unknown property)"
            : required && v.message === "is required but missing"
              ? "is required"
              : v.message;
          const code = required ? "required" : unknown ? "additionalProperties" : keyword;
          return { pointer: v.instancePath, message, code, location: "body" };
        });
    } catch {
      return undefined;
    }
  };
}

/** The 400 answer of --enforce: the request body's violations (or, without a body to explain, the blocking checks). */
export function rejectionEnvelope(
  explain: ReturnType<typeof createBodyExplainer>,
  method: string,
  path: string,
  body: unknown,
  parseError: string | undefined,
  vs: Violation[],
): ErrorEnvelope {
  if (parseError !== undefined) {
    const violations = [{ pointer: "", message: parseError, code: "invalid_json", location: "body" }];
    return envelope(400, `Malformed JSON body: ${parseError}`, { violations });
  }
  let list: EnvelopeViolation[] = body === undefined ? [] : dedupe(explain(path, method, body) ?? []);
  if (!list.length) {
    list = vs.map((v) => ({
      pointer: v.instancePath,
      message: v.message,
      code: v.check === "request_content_type_documented" ? "content_type" : v.check,
      location: v.location === "request.body" ? "body" : "request",
    }));
  }
  return envelope(400, violationsMessage(list), { violations: list });
}

/** A request finding --enforce answers with 400 instead of forwarding: an error in the body, or its content type. */
export const blocksRequest = (v: Violation) =>
  v.severity === "error" && (v.location === "request.body" || v.check === "request_content_type_documented");
