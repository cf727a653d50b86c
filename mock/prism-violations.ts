// Converts Prism's request-validation output (the `sl-violations` header, problem+json bodies) into OpenRouter's
// error envelope (built by src/conformance/envelope.ts, which the proxy answers with too). Pure functions only:
// unit-testable without a server.
import {
  dedupe,
  envelope,
  violationsMessage,
  type EnvelopeViolation,
  type ErrorEnvelope,
} from "../src/conformance/envelope";
import { escapeToken } from "../src/spec/pointer";

/** Prism's `sl-violations` entry (prism-http 5.x, `convertAjvErrors`). */
export interface PrismViolation {
  location?: unknown;
  severity?: unknown;
  code?: unknown;
  message?: unknown;
}

const LOCATIONS = new Set(["body", "header", "query", "path"]);

/**
 * Converts one Prism violation. Prism's location is ["request", <part>, ...segments]; the segments come from Ajv's
 * instancePath (already JSON-pointer escaped), so they are joined as they are.
 */
export function convertViolation(v: PrismViolation): EnvelopeViolation {
  const loc = Array.isArray(v.location) ? v.location.map(String) : [];
  const part = loc[1] !== undefined && LOCATIONS.has(loc[1]) ? (loc[1] as EnvelopeViolation["location"]) : "request";
  const segments = part === "request" ? [] : loc.slice(2);
  let pointer = segments.length ? `/${segments.join("/")}` : "";
  const raw = typeof v.message === "string" ? v.message : String(v.message ?? "invalid");
  let code = typeof v.code === "string" ? v.code : typeof v.code === "number" ? String(v.code) : "invalid";
  // Strip Prism's source description, which it builds as:
  // `Request <part> ` + (segments ? `property|parameter a.b.c ` : "").
  let message = raw;
  if (part !== "request") {
    const kind = part === "body" ? "property " : "parameter ";
    const prefix = `Request ${part} ${segments.length ? `${kind}${segments.join(".")} ` : ""}`;
    if (message.startsWith(prefix)) message = message.slice(prefix.length);
  }
  // Point at the property itself for "required" and "additionalProperties" failures: the message names it.
  const req = /^must have required property '(.+)'$/.exec(message);
  if (req?.[1] !== undefined) {
    pointer += `/${escapeToken(req[1])}`;
    message = "is required";
  }
  const extra = /must NOT have additional properties; found '(.+)'$/.exec(message);
  if (extra?.[1] !== undefined) {
    pointer += `/${escapeToken(extra[1])}`;
    message = "is not allowed (unknown property)";
  }
  if (part === "request" && code === "401") code = "unauthorized";
  if (part === "request" && code === "415") code = "content_type";
  return { pointer, message, code, location: part };
}

/** Allowed `const`/`enum` values at a body pointer (from the spec), used to say what `const`/`enum` expected. */
export type AllowedLookup = (pointer: string) => unknown[];

/**
 * Parses the `sl-violations` header; keeps errors only, drops exact duplicates (Prism repeats oneOf branches).
 * `explain` (the conformance library's re-validation of the body, which keeps only the intended oneOf branch)
 * replaces Prism's body violations when it finds any: it is more precise, and Prism truncates the header past ~8 KB
 * ("Too many violations! [..."). Without it, the complete entries of a truncated header are kept.
 */
export function parseSlViolations(
  header: string | string[] | PrismViolation[] | undefined,
  allowed?: AllowedLookup,
  explain?: () => EnvelopeViolation[] | undefined,
): EnvelopeViolation[] {
  if (header === undefined) return [];
  let list: PrismViolation[];
  let truncated = false;
  if (Array.isArray(header) && header.some((h) => typeof h !== "string")) {
    list = header as PrismViolation[]; // in-process Prism: the validation results themselves
  } else {
    const text = Array.isArray(header) ? header.join(",") : (header as string);
    truncated = text.startsWith("Too many violations!");
    try {
      const parsed: unknown = truncated ? undefined : JSON.parse(text);
      list = Array.isArray(parsed) ? (parsed as PrismViolation[]) : salvage(text);
    } catch {
      list = salvage(text);
    }
  }
  const isError = (v: PrismViolation) =>
    v && typeof v === "object" && (v.severity === undefined || v.severity === "Error");
  let vs = list.filter(isError).map(convertViolation);
  const isBody = (v: PrismViolation) => Array.isArray(v.location) && v.location[1] === "body";
  if (truncated || list.some(isBody)) {
    const better = explain?.();
    if (better?.length) vs = [...vs.filter((v) => v.location !== "body"), ...better];
  }
  return dedupe(vs.map((v) => enrich(v, allowed)));
}

/** Complete violation objects found in a truncated JSON array. */
function salvage(text: string): PrismViolation[] {
  const out: PrismViolation[] = [];
  const re = /\{"location":\[[^\]]*\],"severity":"[^"]*","code":(?:"[^"]*"|-?\d+),"message":"(?:[^"\\]|\\.)*"\}/g;
  for (const m of text.matchAll(re)) {
    try {
      out.push(JSON.parse(m[0]) as PrismViolation);
    } catch {
      /* skip */
    }
  }
  return out;
}

/** Prism's `const` message ("must be equal to constant") names no value: say which values the spec allows. */
export function enrich(v: EnvelopeViolation, allowed?: AllowedLookup): EnvelopeViolation {
  if (!allowed || v.location !== "body" || (v.code !== "const" && v.code !== "enum")) return v;
  const values = allowed(v.pointer);
  if (values.length === 0) return v;
  return { ...v, message: `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}` };
}

/** Envelope for a request Prism rejected with `sl-violations`. */
export function fromViolations(
  status: number,
  vs: EnvelopeViolation[],
  authorization: string | undefined,
): ErrorEnvelope {
  if (status === 401 || vs.some((v) => v.code === "unauthorized")) {
    const message =
      authorization === undefined || authorization.trim() === ""
        ? "Missing Authorization header: expected 'Authorization: Bearer <key>'"
        : "Malformed Authorization header: expected 'Authorization: Bearer <key>'";
    const named = (v: EnvelopeViolation) =>
      v.code === "unauthorized" ? { ...v, pointer: "/authorization", location: "header" as const, message } : v;
    return envelope(401, message, { violations: vs.map(named) });
  }
  return envelope(status, violationsMessage(vs), { violations: vs });
}

/** Prism problem+json (`{type, title, status, detail, validation?}`) -> envelope with the same status. */
export function fromProblem(status: number, problem: unknown): ErrorEnvelope {
  const p = (problem && typeof problem === "object" ? problem : {}) as Record<string, unknown>;
  const type = typeof p.type === "string" ? p.type : "";
  const kind = type.includes("#") ? type.slice(type.indexOf("#") + 1) : type || "UNKNOWN";
  const vs = Array.isArray(p.validation)
    ? dedupe(
        (p.validation as PrismViolation[]).map((v) =>
          convertViolation({ ...v, location: Array.isArray(v.location) ? ["request", ...v.location] : v.location }),
        ),
      )
    : [];
  const detail = typeof p.detail === "string" && p.detail ? p.detail : typeof p.title === "string" ? p.title : "Error";
  const message = vs.length ? violationsMessage(vs) : `${typeof p.title === "string" ? `${p.title}: ` : ""}${detail}`;
  const metadata: Record<string, unknown> = { mock_error: kind };
  if (vs.length) metadata.violations = vs;
  return envelope(status, message, metadata);
}
