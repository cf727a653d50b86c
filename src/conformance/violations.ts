/**
 * Violations: the one builder every check uses, severity order, the shaping of Ajv errors into findings (messages,
 * expected/actual, pointers into the payload and the spec), the per-payload cap, and dedupe/ordering.
 */
import type { ErrorObject } from "ajv";
import { escapeToken, getAt } from "../spec/pointer";
import type { Severity, Violation } from "./types";

type Json = Record<string, unknown>;

/** Default of `LoadOptions.maxViolations`: violations reported per validated payload. */
export const MAX_VIOLATIONS = 100;

/** info < warning < error. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, error: 2 };

/** Is `severity` at or above `level`? */
export function atLeast(severity: Severity, level: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[level];
}

/** Everything of a finding but its check id and severity; absent pointers are "" (the whole payload / no schema). */
export interface ViolationFields {
  instancePath?: string;
  schemaPath?: string;
  expected?: unknown;
  actual?: unknown;
  message: string;
  location?: string;
}

/**
 * The one preview rule for findings: `expected` and `actual` longer than this (as JSON) become a cut string, and a
 * message is cut here too, so a finding holds at most a few KB whatever the payload (a hostile 1 MiB `model` once put
 * 2 MB into each finding and log line).
 */
export const FINDING_VALUE_CHARS = 1000;

/** A message cut to FINDING_VALUE_CHARS characters. */
export function capMessage(message: string): string {
  return message.length > FINDING_VALUE_CHARS ? `${message.slice(0, FINDING_VALUE_CHARS)}…` : message;
}

/** Build a finding (the one place its shape and key order are written, and its values capped). */
export function violation(check: string, severity: Severity, f: ViolationFields): Violation {
  const v = { check, severity, instancePath: f.instancePath ?? "", schemaPath: f.schemaPath ?? "" } as Violation;
  if ("expected" in f) v.expected = preview(f.expected, FINDING_VALUE_CHARS);
  if ("actual" in f) v.actual = preview(f.actual, FINDING_VALUE_CHARS);
  v.message = capMessage(f.message);
  if ("location" in f) v.location = f.location;
  return v;
}

/** Truncated JSON rendering of a value for reports (about 200 characters). */
export function preview(v: unknown, max = 200): unknown {
  if (v === undefined) return undefined;
  if (typeof v === "string") return v.length > max ? `${v.slice(0, max)}…` : v;
  if (v === null || typeof v !== "object") return v;
  let s: string;
  try {
    s = JSON.stringify(v);
  } catch {
    return "[unserialisable]";
  }
  return s.length > max ? `${s.slice(0, max)}…` : v;
}

export interface ValidateOptions {
  check: string;
  location: string;
  /** Prefix added to every instancePath (e.g. `/events/3/data`). */
  instancePrefix?: string;
  severity?: Severity;
}

/** What shaping an Ajv error needs to know about the schema it came from. */
export interface ErrorSource {
  /** The document the pointers point into. */
  spec: Json;
  /** Spec pointer (without `#`) of a schema object of the validated copy. */
  pointerOf(schema: unknown): string | undefined;
  /** Is this error an unknown value of an open enum (closed copy)? */
  isOpenEnumError(e: ErrorObject): boolean;
  /** The tag values a discriminated union's branches declare. */
  tagValues(union: unknown, tag: string): unknown[];
  maxViolations: number;
  errorLimit: number;
}

/** Spec pointer of the keyword that failed (`#/components/schemas/X/properties/y/type`). */
function schemaPointerOf(src: ErrorSource, e: ErrorObject): string {
  const ps = e.parentSchema;
  const base = src.pointerOf(ps);
  // unevaluatedProperties exists only in the closed copy: point at the documented property list instead.
  if (
    base !== undefined &&
    e.keyword === "unevaluatedProperties" &&
    (ps as Json).unevaluatedProperties === false &&
    !(getAt(src.spec, `#${base}`) as Json | undefined)?.unevaluatedProperties
  ) {
    return `#${base}/properties`;
  }
  if (base !== undefined) return `#${base}/${escapeToken(e.keyword)}`;
  return e.schemaPath;
}

const listed = (values: unknown) => preview(values, 160) === values;

/**
 * Ajv errors (already narrowed to the branches that matter) as findings, deduplicated; past `maxViolations` errors
 * are only counted, in one `violations_capped` finding. `partial`: validation stopped counting at errorLimit.
 */
export function schemaViolations(
  src: ErrorSource,
  errors: ErrorObject[],
  data: unknown,
  o: ValidateOptions,
  closed: boolean,
  partial = false,
): Violation[] {
  const prefix = o.instancePrefix ?? "";
  const out: Violation[] = [];
  const cap = src.maxViolations;
  const seen = new Set<string>();
  const severity: Severity = closed ? (o.severity ?? "info") : (o.severity ?? "error");
  let more = 0;
  for (const e of errors) {
    // Past the cap, errors are only counted, not explained.
    if (out.length >= cap) {
      more++;
      continue;
    }
    const p = e.params as Record<string, unknown>;
    const extra =
      e.keyword === "required"
        ? p.missingProperty
        : e.keyword === "additionalProperties"
          ? p.additionalProperty
          : e.keyword === "unevaluatedProperties"
            ? p.unevaluatedProperty
            : e.keyword === "discriminator"
              ? p.tag
              : undefined;
    // The pointer names the property (missing, undocumented) or the tag, not only the object holding it.
    const ip = extra === undefined ? e.instancePath : `${e.instancePath}/${escapeToken(String(extra))}`;
    const undocumented = e.keyword === "additionalProperties" || e.keyword === "unevaluatedProperties";
    const openValue = closed && src.isOpenEnumError(e);
    const schemaPath = schemaPointerOf(src, e);
    const id = `${undocumented ? "u" : "s"}\u0000${schemaPath}\u0000${ip}`;
    if (seen.has(id)) continue;
    seen.add(id);
    let expected: unknown;
    let actualOverride: { v: unknown } | undefined;
    let msg = e.message ?? "is invalid";
    switch (e.keyword) {
      case "required":
        expected = "present";
        actualOverride = { v: "absent" };
        msg = "is required but missing";
        break;
      case "additionalProperties":
      case "unevaluatedProperties":
        expected = "no undocumented properties";
        msg = "is not a documented property";
        break;
      case "type":
        expected = p.type;
        msg = `must be ${Array.isArray(p.type) ? p.type.join(" | ") : String(p.type)}`;
        break;
      case "enum":
        expected = p.allowedValues;
        if (openValue) {
          const list = listed(p.allowedValues) ? JSON.stringify(p.allowedValues) : "see the spec";
          msg = `is not a documented value (open enum; documented: ${list})`;
          break;
        }
        msg = `must be one of ${listed(p.allowedValues) ? JSON.stringify(p.allowedValues) : "the documented values"}`;
        break;
      case "const":
        expected = p.allowedValue;
        msg = `must be ${JSON.stringify(p.allowedValue)}`;
        break;
      case "minimum":
      case "maximum":
      case "exclusiveMinimum":
      case "exclusiveMaximum":
        // Ajv's own comparison ("<= 2", "> 0") reads better than the bare limit.
        expected = `${p.comparison} ${p.limit}`;
        break;
      case "discriminator": {
        const allowed = src.tagValues(e.parentSchema, String(p.tag));
        const oneOf = allowed.map((x) => JSON.stringify(x)).join(", ");
        if (p.tagValue === undefined) {
          // No tag at all: the same finding as a missing required property.
          expected = "present";
          actualOverride = { v: "absent" };
          msg = allowed.length ? `is required (one of ${oneOf})` : "is required";
          break;
        }
        expected = allowed.length ? allowed : "a documented tag value";
        if (allowed.length) msg = `must be one of ${oneOf}`;
        break;
      }
      default:
        expected = e.keyword in (e.parentSchema ?? {}) ? (e.parentSchema as Json)[e.keyword] : p;
        if (typeof expected === "object" && expected !== null) expected = preview(expected);
    }
    const actual = actualOverride ? actualOverride.v : preview(getAt(data, ip));
    const check = undocumented ? "no_undocumented_fields" : openValue ? "no_undocumented_values" : o.check;
    const fields = { instancePath: prefix + ip, schemaPath, expected, actual, message: msg, location: o.location };
    out.push(violation(check, severity, fields));
  }
  const result = dedupe(out);
  if (more > 0) result.push(cappedViolation(src, more, severity, o.location, partial));
  return result;
}

/** The finding that stands for the `more` errors past the per-payload cap. */
function cappedViolation(src: ErrorSource, more: number, severity: Severity, location: string, partial: boolean) {
  const cap = src.maxViolations;
  return violation("violations_capped", severity, {
    expected: `at most ${cap} violations per payload`,
    actual: partial ? `at least ${more} more` : `${more} more`,
    message: partial
      ? `at least ${more} more schema errors not listed (at most ${cap} violations are reported per payload; ` +
        `validation stopped counting after ${src.errorLimit} errors)`
      : `${more} more schema error${more === 1 ? "" : "s"} not listed ` +
        `(at most ${cap} violations are reported per payload)`,
    location,
  });
}

/** Under anyOf/oneOf every branch reports the same undocumented field; one finding per field is the useful answer. */
export function onePerField(vs: Violation[]): Violation[] {
  const seen = new Set<string>();
  return vs.filter((v) => {
    if (seen.has(v.instancePath)) return false;
    seen.add(v.instancePath);
    return true;
  });
}

function comparePointers(a: string, b: string): number {
  const ta = a.split("/");
  const tb = b.split("/");
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}

const LOCATION_ORDER = ["exchange", "request", "response.status", "response.headers", "response.body", "response.sse"];
function locRank(l: string | undefined): number {
  if (!l) return 0;
  const i = LOCATION_ORDER.findIndex((x) => l.startsWith(x));
  return i < 0 ? LOCATION_ORDER.length : i;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Deduplicate by (check, schemaPath, instancePath) and order by location, then instance pointer, then check. */
export function dedupe(vs: Violation[]): Violation[] {
  if (vs.length < 2) return vs;
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const v of vs) {
    const k = [v.check, v.schemaPath, v.instancePath, v.schemaPath ? "" : v.message].join("\u0000");
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  const capped = (v: Violation) => (v.check === "violations_capped" ? 1 : 0);
  return out.sort(
    (a, b) =>
      capped(a) - capped(b) ||
      locRank(a.location) - locRank(b.location) ||
      comparePointers(a.instancePath, b.instancePath) ||
      compareText(a.check, b.check) ||
      compareText(a.schemaPath, b.schemaPath),
  );
}
