import Ajv2020 from "ajv/dist/2020.js"; // explicit .js: ajv has no exports map, Node ESM needs the file name
import type { ErrorObject, ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { escapeToken, getAt, preview, toPointer } from "./pointer";
import type { Severity, Violation } from "./types";

type Json = Record<string, unknown>;
const ID = "https://openrouter-contract.invalid/openapi.json";
const CLOSED_ID = "https://openrouter-contract.invalid/openapi.closed.json";
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export type MediaKind = "json" | "sse" | "other";

export interface MediaSpec {
  mediaType: string;
  kind: MediaKind;
  /** Pointer (`#/...`) to the media type's schema, if any. */
  schemaPointer?: string;
  /** text/event-stream only: pointer to the schema of one parsed `data:` payload. */
  chunkPointer?: string;
  /** text/event-stream only: the sentinel data value that ends a stream (default `[DONE]`). */
  terminator?: string;
}

export interface HeaderSpec {
  name: string;
  required: boolean;
  schemaPointer?: string;
}

export interface ResponseSpec {
  /** "200", "4XX", "default". */
  status: string;
  pointer: string;
  content: MediaSpec[];
  headers: HeaderSpec[];
}

export interface ParameterSpec {
  name: string;
  in: string;
  required: boolean;
  schemaPointer?: string;
}

export interface OperationSpec {
  operationId?: string;
  /** Path-item and operation parameters (header names lowercased). */
  parameters: ParameterSpec[];
  method: string;
  path: string;
  pointer: string;
  request?: { required: boolean; content: MediaSpec[] };
  responses: ResponseSpec[];
  /** true when a security requirement applies (operation-level or root). */
  secured: boolean;
}

export interface ValidateOptions {
  check: string;
  location: string;
  /** Prefix added to every instancePath (e.g. `/events/3/data`). */
  instancePrefix?: string;
  severity?: Severity;
}

export interface LoadOptions {
  /** Assert `format` keywords (default true). */
  formats?: boolean;
  /**
   * Violations reported per validated payload (default 100). Past the cap the payload is not explained further: one
   * `violations_capped` finding says how many more schema errors were found.
   */
  maxViolations?: number;
}

/** Default of `LoadOptions.maxViolations`. */
export const MAX_VIOLATIONS = 100;
/** Raw validation errors after which a payload is no longer walked (at least 10x maxViolations). */
export const ERROR_LIMIT = 10_000;
/** Longest chain of schemas that are only a `$ref` to another (longer chains, and cycles, are refused). */
export const MAX_REF_CHAIN = 64;

/** A loaded contract: operation index plus lazily compiled validators. */
export class Contract {
  readonly spec: Json;
  readonly operations: OperationSpec[];
  /** Path prefixes of the declared servers, e.g. `/api/v1`. */
  readonly basePaths: string[];
  private readonly formats: boolean;
  readonly maxViolations: number;
  private refsChecked = false;
  private ajv: InstanceType<typeof Ajv2020> | undefined;
  private closedAjv: InstanceType<typeof Ajv2020> | undefined;
  /** Stops at the first error: the verdict when the open validator stopped counting (see errorLimit). */
  private fastAjv: InstanceType<typeof Ajv2020> | undefined;
  private readonly fastCache = new Map<string, ValidateFunction>();
  /** Raw errors after which the open validator stops walking arrays and objects (see limitLoops). */
  readonly errorLimit: number;
  private readonly cache = new Map<string, ValidateFunction>();
  private readonly closedCache = new Map<string, ValidateFunction>();
  private pointers: WeakMap<object, string> | undefined;
  /** Closed copy only: open-enum fallback branch pointer -> its known-values branch pointer. */
  private openFallbacks = new Map<string, string>();
  /** Closed copy only: pointers of schemas that list an open enum's known values. */
  private openKnown = new Set<string>();
  private noDiscriminator = false;
  private validationCopy: Json | undefined;

  constructor(spec: unknown, opts: LoadOptions = {}) {
    if (!spec || typeof spec !== "object" || Array.isArray(spec)) throw new Error("spec must be an OpenAPI document object");
    const s = spec as Json;
    if (typeof s.openapi !== "string" || !/^3\.[12]\./.test(s.openapi)) {
      throw new Error(`unsupported OpenAPI version ${JSON.stringify(s.openapi)} (need 3.1.x or 3.2.x)`);
    }
    this.spec = s;
    this.formats = opts.formats ?? true;
    this.maxViolations = opts.maxViolations ?? MAX_VIOLATIONS;
    this.errorLimit = Math.max(ERROR_LIMIT, 10 * this.maxViolations);
    if (!Number.isInteger(this.maxViolations) || this.maxViolations < 1) {
      throw new Error("maxViolations must be a positive integer");
    }
    this.basePaths = serverBasePaths(s);
    this.operations = indexOperations(s);
  }

  /** Find an operation by operationId, `"/chat/completions"`, or `"POST /chat/completions"`. */
  operation(ref: string | OperationSpec): OperationSpec | undefined {
    if (typeof ref !== "string") return ref;
    const m = /^([A-Za-z]+)\s+(\/.*)$/.exec(ref.trim());
    if (m) return this.operations.find((o) => o.method === m[1]!.toLowerCase() && o.path === m[2]);
    return this.operations.find((o) => o.operationId === ref) ?? this.operations.find((o) => o.path === ref && o.method === "post")
      ?? this.operations.find((o) => o.path === ref);
  }

  /** Find the operation for a concrete request (method + absolute or relative URL). */
  match(method: string, url: string): { op?: OperationSpec; pathOnly?: OperationSpec[]; path: string } {
    const key = method + " " + url;
    const hit = this.matchCache.get(key);
    if (hit) return hit;
    const r = this.matchUncached(method, url);
    if (this.matchCache.size > 1024) this.matchCache.clear();
    this.matchCache.set(key, r);
    return r;
  }

  private readonly matchCache = new Map<string, { op?: OperationSpec; pathOnly?: OperationSpec[]; path: string }>();

  private matchUncached(method: string, url: string): { op?: OperationSpec; pathOnly?: OperationSpec[]; path: string } {
    let path: string;
    try {
      path = new URL(url, "http://relative.invalid").pathname;
    } catch {
      path = url.split("?")[0] ?? url;
    }
    const candidates = [path];
    for (const b of this.basePaths) if (b && b !== "/" && path.startsWith(b + "/")) candidates.push(path.slice(b.length));
    const m = method.toLowerCase();
    for (const p of candidates) {
      const same = this.operations.filter((o) => pathMatches(o.path, p));
      if (same.length) {
        const op = same.find((o) => o.method === m);
        return op ? { op, path: p } : { pathOnly: same, path: p };
      }
    }
    return { path };
  }

  /** Resolve `$ref`s (local only) until a non-ref object; returns the object and its pointer. */
  deref(pointer: string): { node: unknown; pointer: string } {
    let p = pointer;
    for (let i = 0; i < 32; i++) {
      const node = getAt(this.spec, p);
      if (node && typeof node === "object" && typeof (node as Json).$ref === "string") {
        const ref = (node as Json).$ref as string;
        if (!ref.startsWith("#")) return { node, pointer: p };
        p = ref;
        continue;
      }
      return { node, pointer: p };
    }
    throw new Error(`$ref cycle at ${pointer}`);
  }

  /**
   * Validate `data` against the schema at `pointer`. Returns violations with pointers into the payload and the spec,
   * deduplicated; oneOf/anyOf failures are narrowed to the best-matching branch.
   */
  validate(pointer: string, data: unknown, o: ValidateOptions): Violation[] {
    const fn = this.compile(pointer, false);
    const ajv = this.ajv as unknown as { __limitHit?: boolean };
    ajv.__limitHit = false;
    const ok = run(fn, data, pointer);
    if (!ajv.__limitHit) return ok ? [] : this.toViolations(fn.errors ?? [], data, o, false);
    // The open validator stopped walking after errorLimit errors: its errors explain the payload, but its verdict can
    // be wrong (a union branch that fails with thousands of errors, e.g. a long valid token array tried as string[]).
    // The fail-fast validator gives the exact verdict.
    const errors = fn.errors ?? [];
    const fast = this.compileFast(pointer);
    if (run(fast, data, pointer)) return [];
    return this.toViolations(!ok && errors.length ? errors : fast.errors ?? [], data, o, false, true);
  }

  /**
   * Unknown-field pass: validates against a copy of the schema where every object schema with `properties` is
   * closed (`unevaluatedProperties: false`). Only undocumented-field findings are returned.
   */
  undocumentedFields(pointer: string, data: unknown, o: ValidateOptions): Violation[] {
    const fn = this.compile(pointer, true);
    if (run(fn, data, pointer)) return [];
    return onePerField(this.toViolations(this.undocumentedOnly(fn.errors ?? [], data), data, o, true));
  }

  /**
   * Closed-copy errors reduced to undocumented fields and unknown values of open enums, taken only from the union
   * branches the value really matches (so a field of one branch is not reported as unknown to another).
   */
  private undocumentedOnly(errors: ErrorObject[], data: unknown): ErrorObject[] {
    return this.bestMatch(errors, data, true, 0).filter(
      (e) => e.keyword === "unevaluatedProperties" || e.keyword === "additionalProperties" || this.isOpenEnumError(e),
    );
  }

  private isOpenEnumError(e: ErrorObject): boolean {
    const ps = e.parentSchema;
    const at = ps && typeof ps === "object" ? this.pointers?.get(ps) : undefined;
    return e.keyword === "enum" && at !== undefined && this.openKnown.has(at);
  }

  /**
   * Schema errors, or (when there are none) undocumented-field findings at `undocumentedSeverity`. Valid traffic costs
   * one validation: the closed copy runs first and, when it passes, the open schema passes too. (Exception: a oneOf
   * that matches several branches only in the open schema; such a spec is ambiguous and Redocly flags it.)
   */
  validateWithUndocumented(pointer: string, data: unknown, o: ValidateOptions, undocumentedSeverity: Severity): Violation[] {
    const closed = this.compile(pointer, true);
    if (run(closed, data, pointer)) return [];
    const closedErrors = closed.errors ?? [];
    const schemaErrors = this.validate(pointer, data, o);
    if (schemaErrors.length) return schemaErrors;
    const errs = this.undocumentedOnly(closedErrors, data);
    return onePerField(this.toViolations(errs, data, { ...o, check: "no_undocumented_fields", severity: undocumentedSeverity }, true));
  }

  private setup(closed: boolean, fast = false): InstanceType<typeof Ajv2020> {
    const existing = fast ? this.fastAjv : closed ? this.closedAjv : this.ajv;
    if (existing) return existing;
    if (!this.refsChecked) {
      checkRefChains(this.spec);
      this.refsChecked = true;
    }
    if (!this.validationCopy) {
      this.validationCopy = prepareForValidation(this.spec, this.noDiscriminator);
      this.pointers = pointerIndex(this.validationCopy);
    }
    const limit = this.errorLimit;
    const ajv = new Ajv2020({
      allErrors: !fast,
      strict: false,
      verbose: true,
      discriminator: !this.noDiscriminator,
      validateFormats: this.formats,
      validateSchema: false,
      code: {
        optimize: true,
        process: fast || closed ? linearErrors : (code: string) => limitLoops(linearErrors(code), limit),
      },
    });
    ajv.removeKeyword("nullable");
    if (this.formats) {
      addFormats(ajv);
      ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 });
      for (const f of ["int64", "float", "double", "password", "byte", "binary"]) ajv.addFormat(f, true);
    }
    if (fast) {
      ajv.addSchema({ ...this.validationCopy!, $id: ID });
      this.fastAjv = ajv;
    } else if (closed) {
      const { doc: copy, fallbacks, known } = closeObjects(this.validationCopy!);
      this.openFallbacks = fallbacks;
      this.openKnown = known;
      pointerIndex(copy, this.pointers);
      ajv.addSchema({ ...copy, $id: CLOSED_ID });
      this.closedAjv = ajv;
    } else {
      ajv.addSchema({ ...this.validationCopy!, $id: ID });
      this.ajv = ajv;
    }
    return ajv;
  }

  private compileFast(pointer: string): ValidateFunction {
    const hit = this.fastCache.get(pointer);
    if (hit) return hit;
    const ptr = pointer.startsWith("#") ? pointer : "#" + pointer;
    const fn = this.setup(false, true).compile({ $ref: ID + encodeFragment(ptr) });
    this.fastCache.set(pointer, fn);
    return fn;
  }

  private compile(pointer: string, closed: boolean): ValidateFunction {
    const cache = closed ? this.closedCache : this.cache;
    const hit = cache.get(pointer);
    if (hit) return hit;
    const ptr = pointer.startsWith("#") ? pointer : "#" + pointer;
    let fn: ValidateFunction;
    try {
      fn = this.setup(closed).compile({ $ref: (closed ? CLOSED_ID : ID) + encodeFragment(ptr) });
    } catch (err) {
      if (!this.noDiscriminator && /discriminator/i.test(String(err))) {
        // The spec's discriminators don't meet Ajv's requirements: validate through plain oneOf instead.
        this.noDiscriminator = true;
        this.ajv = this.closedAjv = this.fastAjv = this.validationCopy = this.pointers = undefined;
        this.cache.clear();
        this.closedCache.clear();
        this.fastCache.clear();
        return this.compile(pointer, closed);
      }
      if (err instanceof RangeError) {
        throw new Error(`cannot compile the schema at ${ptr}: it nests or recurses too deeply (${err.message})`);
      }
      throw err;
    }
    cache.set(pointer, fn);
    return fn;
  }

  /** The `const`/`enum` values each branch of a discriminated union gives its tag property, in branch order. */
  private tagValues(union: unknown, tag: string): unknown[] {
    const cached = union && typeof union === "object" ? this.tagCache.get(union)?.get(tag) : undefined;
    if (cached) return cached;
    const values = this.tagValuesUncached(union, tag);
    if (union && typeof union === "object") {
      const m = this.tagCache.get(union) ?? new Map<string, unknown[]>();
      m.set(tag, values);
      this.tagCache.set(union, m);
    }
    return values;
  }

  private readonly tagCache = new WeakMap<object, Map<string, unknown[]>>();

  private tagValuesUncached(union: unknown, tag: string): unknown[] {
    const base = union && typeof union === "object" ? this.pointers?.get(union) : undefined;
    const branches = base === undefined ? undefined : (getAt(this.spec, "#" + base) as Json | undefined)?.oneOf;
    if (!Array.isArray(branches)) return [];
    const out: unknown[] = [];
    branches.forEach((_b, i) => {
      const branch = this.deref(`#${base}/oneOf/${i}`).node as Json | undefined;
      const prop = (branch?.properties as Json | undefined)?.[tag] as Json | undefined;
      if (prop && "const" in prop) out.push(prop.const);
      else if (Array.isArray(prop?.enum)) out.push(...prop.enum);
    });
    return [...new Set(out)];
  }

  private schemaPointerOf(e: ErrorObject): string {
    const ps = e.parentSchema;
    const base = ps && typeof ps === "object" ? this.pointers?.get(ps) : undefined;
    // unevaluatedProperties exists only in the closed copy: point at the documented property list instead.
    if (base !== undefined && e.keyword === "unevaluatedProperties" && (ps as Json).unevaluatedProperties === false && !(getAt(this.spec, "#" + base) as Json | undefined)?.unevaluatedProperties) return "#" + base + "/properties";
    if (base !== undefined) return "#" + base + "/" + escapeToken(e.keyword);
    return e.schemaPath;
  }

  private toViolations(
    errors: ErrorObject[],
    data: unknown,
    o: ValidateOptions,
    closed: boolean,
    partial = false,
  ): Violation[] {
    const pruned = this.bestMatch(errors, data, closed, 0);
    const prefix = o.instancePrefix ?? "";
    const out: Violation[] = [];
    const cap = this.maxViolations;
    const seen = new Set<string>();
    let more = 0;
    for (const e of pruned) {
      // Past the cap, errors are only counted, not explained.
      if (out.length >= cap) {
        more++;
        continue;
      }
      const p = e.params as Record<string, unknown>;
      const extra =
        e.keyword === "required" ? p.missingProperty
        : e.keyword === "additionalProperties" ? p.additionalProperty
        : e.keyword === "unevaluatedProperties" ? p.unevaluatedProperty
        : e.keyword === "discriminator" ? p.tag
        : undefined;
      // The pointer names the property (missing, undocumented) or the tag, not only the object holding it.
      const ip = extra === undefined ? e.instancePath : e.instancePath + "/" + escapeToken(String(extra));
      const undocumented = e.keyword === "additionalProperties" || e.keyword === "unevaluatedProperties";
      const openValue = closed && this.isOpenEnumError(e);
      const id = (undocumented ? "u" : "s") + "\u0000" + this.schemaPointerOf(e) + "\u0000" + ip;
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
          expected = "no undocumented properties";
          msg = "is not a documented property";
          break;
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
            const list = preview(p.allowedValues, 160) === p.allowedValues ? JSON.stringify(p.allowedValues) : "see the spec";
            msg = `is not a documented value (open enum; documented: ${list})`;
            break;
          }
          msg = `must be one of ${preview(p.allowedValues, 160) === p.allowedValues ? JSON.stringify(p.allowedValues) : "the documented values"}`;
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
          const allowed = this.tagValues(e.parentSchema, String(p.tag));
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
      const severity: Severity = closed ? (o.severity ?? "info") : (o.severity ?? "error");
      out.push({
        check,
        severity,
        instancePath: prefix + ip,
        schemaPath: this.schemaPointerOf(e),
        expected,
        actual,
        message: msg,
        location: o.location,
      });
    }
    const result = dedupe(out);
    if (more > 0) {
      result.push({
        check: "violations_capped",
        severity: closed ? (o.severity ?? "info") : (o.severity ?? "error"),
        instancePath: "",
        schemaPath: "",
        expected: `at most ${cap} violations per payload`,
        actual: partial ? `at least ${more} more` : `${more} more`,
        message: partial
          ? `at least ${more} more schema errors not listed (at most ${cap} violations are reported per payload; ` +
            `validation stopped counting after ${this.errorLimit} errors)`
          : `${more} more schema error${more === 1 ? "" : "s"} not listed ` +
            `(at most ${cap} violations are reported per payload)`,
        location: o.location,
      });
    }
    return result;
  }

  /**
   * For each failing oneOf/anyOf, keep only the errors of the branch that got furthest into the data. Linear in the
   * number of errors: errors are indexed by instance path, and the regions of the unions narrowed are disjoint.
   */
  private bestMatch(errors: ErrorObject[], data: unknown, closed: boolean, depth: number): ErrorObject[] {
    const composite = errors.filter((e) => (e.keyword === "oneOf" || e.keyword === "anyOf") && e.parentSchema);
    if (!composite.length || depth > 8) return errors;
    // Outermost first (shortest instancePath), so inner ones are re-derived by the recursion.
    // Ties: Ajv reports a union after the errors inside it, so the later one is the outer one.
    const order = new Map(errors.map((e, i) => [e, i]));
    composite.sort((a, b) => a.instancePath.length - b.instancePath.length || order.get(b)! - order.get(a)!);
    const byPath = new Map<string, ErrorObject[]>();
    for (const e of errors) {
      const list = byPath.get(e.instancePath);
      if (list) list.push(e);
      else byPath.set(e.instancePath, [e]);
    }
    const paths = [...byPath.keys()].sort();
    const removed = new Set<ErrorObject>();
    const added: ErrorObject[] = [];
    const done = new Set<string>();
    for (const c of composite) {
      if (removed.has(c)) continue;
      const ps = c.parentSchema as Json;
      const base = this.pointers?.get(ps);
      const branches = ps[c.keyword];
      if (base === undefined || !Array.isArray(branches)) continue;
      const key = c.instancePath + "|" + base;
      if (done.has(key)) continue;
      done.add(key);
      if (c.keyword === "oneOf" && (c.params as Json).passingSchemas) continue; // matched several: keep as is
      const value = getAt(data, c.instancePath);
      let best: ErrorObject[] | undefined;
      let bestScore = [-1, 0];
      if (c.keyword === "oneOf" && (c.params as Json).passingSchemas) continue; // matched several: keep as is
      // Closed copy: the branch that matters is the one the value matches in the open schema (an open enum's
      // fallback stands for its known-values branch), not the one that got furthest.
      let taken = -1;
      if (closed) {
        for (let i = 0; i < branches.length && taken < 0; i++) {
          if (run(this.compile("#" + base + "/" + c.keyword + "/" + i, false), value, "#" + base)) taken = i;
        }
      }
      if (taken >= 0) {
        const at = base + "/" + c.keyword + "/" + taken;
        const fn = this.compile("#" + (this.openFallbacks.get(at) ?? at), true);
        best = run(fn, value, "#" + at) ? [] : (fn.errors ?? []).map((e) => ({ ...e, instancePath: c.instancePath + e.instancePath }));
      }
      for (let i = 0; taken < 0 && i < branches.length; i++) {
        const fn = this.compile("#" + base + "/" + c.keyword + "/" + i, closed);
        if (run(fn, value, "#" + base)) { best = undefined; bestScore = [-1, 0]; break; }
        const errs = fn.errors ?? [];
        let deepest = 0;
        for (const e of errs) {
          deepest = Math.max(deepest, e.instancePath.split("/").length + (e.keyword === "required" ? 1 : 0));
        }
        const nonType = errs.some((e) => e.keyword !== "type" && e.keyword !== "const" && e.keyword !== "enum") ? 1 : 0;
        const score = [deepest * 2 + nonType, -errs.length];
        if (score[0]! > bestScore[0]! || (score[0] === bestScore[0] && score[1]! > bestScore[1]!)) {
          bestScore = score;
          best = errs.map((e) => ({ ...e, instancePath: c.instancePath + e.instancePath }));
        }
      }
      if (!best) continue;
      // Drop c and the errors at or under its instance path that come from other schemas than the union itself.
      const drop = (list: ErrorObject[] | undefined) => {
        for (const e of list ?? []) if (e === c || e.parentSchema !== ps) removed.add(e);
      };
      drop(byPath.get(c.instancePath));
      const under = c.instancePath + "/";
      for (let i = lowerBound(paths, under); i < paths.length && paths[i]!.startsWith(under); i++) {
        drop(byPath.get(paths[i]!));
      }
      added.push(...this.bestMatch(best, data, closed, depth + 1));
    }
    return removed.size ? [...errors.filter((e) => !removed.has(e)), ...added] : [...errors, ...added];
  }
}

/** First index in sorted `list` whose value is >= `x`. */
function lowerBound(list: string[], x: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Run a compiled validator; a stack overflow (a spec that recurses without end) becomes a clear error. */
function run(fn: ValidateFunction, data: unknown, pointer: string): boolean {
  try {
    return fn(data) as boolean;
  } catch (e) {
    if (e instanceof RangeError) {
      const why = "a $ref cycle in the spec, or data nested beyond the stack";
      throw new Error(`validation against ${pointer} recursed too deeply (${why}): ${e.message}`);
    }
    throw e;
  }
}

/**
 * Ajv appends the errors of a `$ref`'d validator with `vErrors = vErrors.concat(callee.errors)`, which copies every
 * error found so far on each failing call: quadratic in the number of errors (50k bad array items took seconds).
 * Append in place instead. Pinned Ajv version; a test measures the growth, so a changed pattern would show.
 */
export function linearErrors(code: string): string {
  const append = "if ($1 === null) $1 = []; for (const e$$ of $2) $1.push(e$$);";
  return code.replace(/(\w+) = \1 === null \? ([\w$.]+) : \1\.concat\(\2\);/g, append);
}

/** A group that contains a quantifier and is itself repeated, e.g. `(a+)+` or `(\\w*,)*`: exponential backtracking. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,)/;

/**
 * `pattern` keywords that may backtrack exponentially on hostile strings (Ajv runs them with JavaScript's
 * backtracking RegExp). A heuristic (nested quantifiers only), to warn about untrusted specs; returns spec pointers.
 */
export function riskyPatterns(spec: unknown): { pointer: string; pattern: string }[] {
  const out: { pointer: string; pattern: string }[] = [];
  const stack: [unknown, string][] = [[spec, ""]];
  while (stack.length) {
    const [v, p] = stack.pop()!;
    if (!v || typeof v !== "object") continue;
    if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, `${p}/${i}`]));
    else
      for (const [k, x] of Object.entries(v as Json)) {
        if (k === "pattern" && typeof x === "string" && NESTED_QUANTIFIER.test(x)) {
          out.push({ pointer: `#${p}/pattern`, pattern: x });
        }
        else if (k !== "example" && k !== "examples") stack.push([x, `${p}/${escapeToken(k)}`]);
      }
  }
  return out;
}

/**
 * Bound the work on a hostile payload: once a validator has errorLimit errors, its loops over array items and object
 * keys stop (and flag the Ajv instance, `self` in Ajv's generated code). The errors found so far explain the payload;
 * Contract.validate takes the verdict from a fail-fast validator whenever the flag is set.
 */
export function limitLoops(code: string, limit: number): string {
  const stop = `if(errors>=${limit}){self.__limitHit=true;break;}`;
  return code
    .replace(/for\(let (i\d+)=0; \1<(len\d+); \1\+\+\)\{/g, (m) => m + stop)
    .replace(/for\(const (key\d+) in (data\d*)\)\{/g, (m) => m + stop);
}

/**
 * Refuse `$ref` chains Ajv cannot resolve with a bounded stack: a schema that is only a `$ref` to another, to
 * another, ... (cycles, or chains longer than MAX_REF_CHAIN). A clear message instead of a stack overflow.
 */
export function checkRefChains(spec: Json): void {
  const target = (node: unknown): string | undefined => {
    const ref = node && typeof node === "object" && !Array.isArray(node) ? (node as Json).$ref : undefined;
    return typeof ref === "string" && ref.startsWith("#") ? ref : undefined;
  };
  // Links from a ref to the end of its chain (memoised, so each ref is followed once).
  const links = new Map<string, number>();
  const visit = (start: string) => {
    const chain: string[] = [];
    const onChain = new Set<string>();
    let ref: string | undefined = start;
    while (ref !== undefined && !links.has(ref)) {
      if (onChain.has(ref)) throw new Error(`$ref cycle: ${[...chain.slice(chain.indexOf(ref)), ref].join(" -> ")}`);
      chain.push(ref);
      onChain.add(ref);
      let node: unknown;
      try {
        node = getAt(spec, ref);
      } catch {
        node = undefined;
      }
      ref = target(node);
    }
    let n = ref === undefined ? 0 : links.get(ref)!;
    for (let i = chain.length - 1; i >= 0; i--) {
      n++;
      if (n > MAX_REF_CHAIN) {
        const head = chain.slice(i, i + 3).join(" -> ");
        throw new Error(`$ref chain longer than ${MAX_REF_CHAIN} links from ${chain[i]} (${head} -> ...)`);
      }
      links.set(chain[i]!, n);
    }
  };
  const stack: unknown[] = [spec];
  let seen = 0;
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== "object") continue;
    if (++seen > 5_000_000) throw new Error("spec has more than 5 million JSON nodes");
    const t = target(v);
    if (t !== undefined) visit(t);
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else for (const x of Object.values(v as Json)) stack.push(x);
  }
}

function encodeFragment(ptr: string): string {
  // Ajv resolves the fragment as a URI: percent-encode characters that are not allowed there.
  return ptr.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/#]/g, (c) => encodeURIComponent(c));
}

function pathMatches(template: string, path: string): boolean {
  if (!template.includes("{")) return template === path;
  const re = new RegExp("^" + template.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+") + "$");
  return re.test(path);
}

function serverBasePaths(spec: Json): string[] {
  const out = new Set<string>();
  const servers = Array.isArray(spec.servers) ? spec.servers : [];
  for (const s of servers) {
    const url = (s as Json)?.url;
    if (typeof url !== "string") continue;
    try {
      out.add(new URL(url, "http://relative.invalid").pathname.replace(/\/$/, ""));
    } catch {
      /* ignore */
    }
  }
  out.add("/api/v1");
  return [...out];
}

function mediaKind(mt: string): MediaKind {
  const base = mt.split(";")[0]!.trim().toLowerCase();
  if (base === "text/event-stream") return "sse";
  if (base === "application/json" || base.endsWith("+json") || base === "*/*") return "json";
  return "other";
}

function indexOperations(spec: Json): OperationSpec[] {
  const ops: OperationSpec[] = [];
  const paths = (spec.paths ?? {}) as Json;
  const rootSecured = Array.isArray(spec.security) && spec.security.some((r) => r && Object.keys(r as Json).length > 0);
  const resolve = (node: unknown, ptr: string): { node: Json; ptr: string } => {
    let n = node;
    let p = ptr;
    for (let i = 0; i < 32 && n && typeof n === "object" && typeof (n as Json).$ref === "string"; i++) {
      const ref = (n as Json).$ref as string;
      if (!ref.startsWith("#")) break;
      p = ref;
      n = getAt(spec, ref);
    }
    return { node: (n ?? {}) as Json, ptr: p };
  };
  for (const [path, item0] of Object.entries(paths)) {
    const { node: item, ptr: itemPtr } = resolve(item0, "#" + toPointer(["paths", path]));
    for (const method of METHODS) {
      const op0 = item[method];
      if (!op0 || typeof op0 !== "object") continue;
      const op = op0 as Json;
      const opPtr = itemPtr + "/" + method;
      const secured = Array.isArray(op.security) ? op.security.some((r) => r && Object.keys(r as Json).length > 0) : rootSecured;
      const parameters: ParameterSpec[] = [];
      for (const [list, lPtr] of [[item.parameters, itemPtr + "/parameters"], [op.parameters, opPtr + "/parameters"]] as const) {
        if (!Array.isArray(list)) continue;
        list.forEach((p0, i) => {
          const { node: p, ptr: pPtr } = resolve(p0, `${lPtr}/${i}`);
          if (typeof p.name !== "string" || typeof p.in !== "string") return;
          const name = p.in === "header" ? p.name.toLowerCase() : p.name;
          const entry: ParameterSpec = { name, in: p.in, required: p.required === true, ...(p.schema !== undefined ? { schemaPointer: pPtr + "/schema" } : {}) };
          const at = parameters.findIndex((x) => x.name === name && x.in === p.in);
          if (at >= 0) parameters[at] = entry; // operation-level overrides path-level
          else parameters.push(entry);
        });
      }
      const spec1: OperationSpec = {
        method,
        path,
        pointer: opPtr,
        parameters,
        responses: [],
        secured,
        ...(typeof op.operationId === "string" ? { operationId: op.operationId } : {}),
      };
      if (op.requestBody) {
        const { node: rb, ptr: rbPtr } = resolve(op.requestBody, opPtr + "/requestBody");
        spec1.request = { required: rb.required === true, content: mediaSpecs((rb.content ?? {}) as Json, rbPtr + "/content", resolve) };
      }
      for (const [status, r0] of Object.entries((op.responses ?? {}) as Json)) {
        const { node: r, ptr: rPtr } = resolve(r0, opPtr + "/responses/" + escapeToken(status));
        const headers: HeaderSpec[] = [];
        for (const [name, h0] of Object.entries((r.headers ?? {}) as Json)) {
          const { node: h, ptr: hPtr } = resolve(h0, rPtr + "/headers/" + escapeToken(name));
          headers.push({ name: name.toLowerCase(), required: h.required === true, ...(h.schema ? { schemaPointer: hPtr + "/schema" } : {}) });
        }
        spec1.responses.push({ status, pointer: rPtr, content: mediaSpecs((r.content ?? {}) as Json, rPtr + "/content", resolve), headers });
      }
      ops.push(spec1);
    }
  }
  return ops;
}

function mediaSpecs(content: Json, ptr: string, resolve: (n: unknown, p: string) => { node: Json; ptr: string }): MediaSpec[] {
  const out: MediaSpec[] = [];
  for (const [mt, m0] of Object.entries(content)) {
    const m = (m0 ?? {}) as Json;
    const mPtr = ptr + "/" + escapeToken(mt);
    const kind = mediaKind(mt);
    const ms: MediaSpec = { mediaType: mt.toLowerCase(), kind };
    if (m.schema !== undefined) ms.schemaPointer = mPtr + "/schema";
    if (kind === "sse") {
      let terminator: unknown = m["x-sse-terminator"];
      // 3.1 modelling: schema -> {type: string, contentSchema: Chunk}; or Speakeasy style {properties: {data: Chunk}}
      if (m.schema !== undefined) {
        const { node: s, ptr: sPtr } = resolve(m.schema, mPtr + "/schema");
        terminator ??= s["x-sse-terminator"];
        if (s.contentSchema !== undefined) ms.chunkPointer = sPtr + "/contentSchema";
        else if (s.items && typeof s.items === "object" && (s.items as Json).contentSchema !== undefined) ms.chunkPointer = sPtr + "/items/contentSchema";
        else if (s.properties && typeof s.properties === "object" && (s.properties as Json).data !== undefined) {
          const { node: d, ptr: dPtr } = resolve((s.properties as Json).data, sPtr + "/properties/data");
          ms.chunkPointer = d.contentSchema !== undefined ? dPtr + "/contentSchema" : dPtr;
        }
      }
      // OAS 3.2: itemSchema describes one event {data, event, id}; data carries contentSchema.
      if (!ms.chunkPointer && m.itemSchema !== undefined) {
        const { node: it, ptr: itPtr } = resolve(m.itemSchema, mPtr + "/itemSchema");
        terminator ??= it["x-sse-terminator"];
        const data = (it.properties as Json | undefined)?.data;
        if (data !== undefined) {
          const { node: d, ptr: dPtr } = resolve(data, itPtr + "/properties/data");
          ms.chunkPointer = d.contentSchema !== undefined ? dPtr + "/contentSchema" : dPtr;
        } else if (it.contentSchema !== undefined) ms.chunkPointer = itPtr + "/contentSchema";
      }
      ms.terminator = typeof terminator === "string" ? terminator : "[DONE]";
    }
    out.push(ms);
  }
  return out;
}

/** Deep copy for validation: drop discriminator.mapping (Ajv rejects it) or whole discriminators (fallback). */
function prepareForValidation(spec: Json, noDiscriminator: boolean): Json {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== "object") return v;
    const o: Json = {};
    for (const [k, val] of Object.entries(v as Json)) {
      if (k === "discriminator" && val && typeof val === "object" && !Array.isArray(val)) {
        if (noDiscriminator) continue;
        const { mapping: _m, ...rest } = val as Json;
        o[k] = rest;
        continue;
      }
      if (k === "examples" || k === "example") {
        // examples are data, not schemas; keep arrays only where they are JSON Schema `examples` (harmless).
        o[k] = val;
        continue;
      }
      o[k] = walk(val);
    }
    return o;
  };
  return walk(spec) as Json;
}

/** Map every object in the copy to its pointer, so Ajv's `parentSchema` gives a spec pointer. */
function pointerIndex(doc: Json, map = new WeakMap<object, string>()): WeakMap<object, string> {
  const walk = (v: unknown, p: string) => {
    if (!v || typeof v !== "object" || map.has(v as object)) return;
    map.set(v as object, p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, p + "/" + i));
    else for (const [k, x] of Object.entries(v as Json)) walk(x, p + "/" + escapeToken(k));
  };
  walk(doc, "");
  return map;
}

const SCHEMA_CHILD_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
const SCHEMA_CHILD_ARRAYS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SCHEMA_CHILD = new Set(["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "contentSchema"]);

const SCHEMA_NOTES = new Set(["type", "description", "title", "deprecated", "example", "examples"]);
/** `{type: string}` with nothing but annotations: the catch-all branch of an open enum. */
function isBareString(s: unknown): boolean {
  if (!s || typeof s !== "object") return false;
  return (s as Json).type === "string" && Object.keys(s as Json).every((k) => SCHEMA_NOTES.has(k));
}

/**
 * Copy where object schemas with `properties` and no `additionalProperties` get `unevaluatedProperties: false`.
 * Schemas used as allOf members are left open (their siblings evaluate the other properties). Pointers are kept
 * identical to the open copy, so schemaPath stays meaningful.
 *
 * Open enums are closed too, so that an unknown value can be reported (info, or error in strict mode): in
 * `anyOf: [{type: string, enum: [...]}, {type: string}]` the catch-all branch becomes `{not: {}}` (remembered in
 * `fallbacks` with its known-values branch), and `{type: string, not: {enum: [...]}}` ("any other string", the tag
 * of an open union's catch-all member) also gets the `enum`, so it matches nothing. Both lists are in `known`.
 */
function closeObjects(doc: Json): { doc: Json; fallbacks: Map<string, string>; known: Set<string> } {
  const fallbacks = new Map<string, string>();
  const known = new Set<string>();
  const allOfMembers = new Set<string>();
  const findAllOf = (v: unknown) => {
    if (!v || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach(findAllOf);
    const o = v as Json;
    if (Array.isArray(o.allOf)) for (const m of o.allOf) if (m && typeof m === "object" && typeof (m as Json).$ref === "string") allOfMembers.add((m as Json).$ref as string);
    for (const x of Object.values(o)) findAllOf(x);
  };
  findAllOf(doc.components);
  findAllOf(doc.paths);
  const closeSchema = (v: unknown, ptr: string, inAllOf: boolean): unknown => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    const o: Json = { ...(v as Json) };
    for (const [k, x] of Object.entries(o)) {
      if (SCHEMA_CHILD_MAPS.has(k) && x && typeof x === "object") {
        const m: Json = {};
        for (const [n, s] of Object.entries(x as Json)) m[n] = closeSchema(s, ptr + "/" + k + "/" + escapeToken(n), false);
        o[k] = m;
      } else if (SCHEMA_CHILD_ARRAYS.has(k) && Array.isArray(x)) {
        o[k] = x.map((s, i) => closeSchema(s, ptr + "/" + k + "/" + i, k === "allOf"));
      } else if (SCHEMA_CHILD.has(k)) {
        o[k] = closeSchema(x, ptr + "/" + k, false);
      }
    }
    if (Array.isArray(o.anyOf)) {
      const branches = o.anyOf as Json[];
      const k = branches.findIndex((b) => b && b.type === "string" && Array.isArray(b.enum));
      const rest = branches.filter((_b, i) => i !== k);
      if (k >= 0 && rest.some(isBareString) && rest.every((b) => isBareString(b) || b?.type === "null")) {
        known.add(ptr + "/anyOf/" + k);
        o.anyOf = branches.map((b, i) => {
          if (i === k || !isBareString(b)) return b;
          fallbacks.set(ptr + "/anyOf/" + i, ptr + "/anyOf/" + k);
          const { type: _t, ...notes } = b;
          return { ...notes, not: {} };
        });
      }
    }
    const not = o.not as Json | undefined;
    if (o.type === "string" && not && Array.isArray(not.enum) && Object.keys(not).length === 1) {
      // Keeps `not` (a documented value must still take its own member) and adds the list: nothing matches, and an
      // unknown value fails only the `enum`, which is what gets reported.
      known.add(ptr);
      return { ...o, enum: not.enum };
    }
    const isObject = o.properties && typeof o.properties === "object";
    if (isObject && !inAllOf && !allOfMembers.has("#" + ptr) && o.additionalProperties === undefined && o.unevaluatedProperties === undefined && typeof o.$ref !== "string") {
      o.unevaluatedProperties = false;
    }
    return o;
  };
  const out: Json = { ...doc };
  const comps = doc.components as Json | undefined;
  if (comps && typeof comps === "object") {
    const c: Json = { ...comps };
    const schemas = comps.schemas as Json | undefined;
    if (schemas) {
      const s: Json = {};
      for (const [n, x] of Object.entries(schemas)) s[n] = closeSchema(x, "/components/schemas/" + escapeToken(n), false);
      c.schemas = s;
    }
    out.components = c;
  }
  // Inline schemas under paths: close media-type schemas.
  const closePaths = (v: unknown, ptr: string): unknown => {
    if (!v || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x, i) => closePaths(x, ptr + "/" + i));
    const o: Json = {};
    for (const [k, x] of Object.entries(v as Json)) {
      if ((k === "schema" || k === "itemSchema") && x && typeof x === "object") o[k] = closeSchema(x, ptr + "/" + k, false);
      else if (k === "examples" || k === "example") o[k] = x;
      else o[k] = closePaths(x, ptr + "/" + escapeToken(k));
    }
    return o;
  };
  out.paths = closePaths(doc.paths, "/paths");
  return { doc: out, fallbacks, known };
}

function comparePointers(a: string, b: string): number {
  const ta = parsePointerLoose(a);
  const tb = parsePointerLoose(b);
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

function parsePointerLoose(p: string): string[] {
  return p.split("/");
}

const LOCATION_ORDER = ["exchange", "request", "response.status", "response.headers", "response.body", "response.sse"];
function locRank(l: string | undefined): number {
  if (!l) return 0;
  const i = LOCATION_ORDER.findIndex((x) => l.startsWith(x));
  return i < 0 ? LOCATION_ORDER.length : i;
}

/** Deduplicate by (check, schemaPath, instancePath) and order by location, then instance pointer, then check. */
/** Under anyOf/oneOf every branch reports the same undocumented field; one finding per field is the useful answer. */
function onePerField(vs: Violation[]): Violation[] {
  const seen = new Set<string>();
  return vs.filter((v) => !seen.has(v.instancePath) && (seen.add(v.instancePath), true));
}

export function dedupe(vs: Violation[]): Violation[] {
  if (vs.length < 2) return vs;
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const v of vs) {
    const k = v.check + "\u0000" + v.schemaPath + "\u0000" + v.instancePath + "\u0000" + (v.schemaPath ? "" : v.message);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  const capped = (v: Violation) => (v.check === "violations_capped" ? 1 : 0);
  return out.sort((a, b) => capped(a) - capped(b) || locRank(a.location) - locRank(b.location) || comparePointers(a.instancePath, b.instancePath) || (a.check < b.check ? -1 : a.check > b.check ? 1 : 0) || (a.schemaPath < b.schemaPath ? -1 : a.schemaPath > b.schemaPath ? 1 : 0));
}
