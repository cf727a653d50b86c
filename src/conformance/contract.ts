/**
 * A loaded contract: the spec's operation index and URL matching (from src/spec) wired to lazily compiled
 * validators, and the three validation entry points the checks use.
 */
import type { ErrorObject } from "ajv";
import { bundledSpec } from "../spec/bundle";
import { findOperation, indexOperations, openApiDocument, type OperationSpec } from "../spec/operations";
import { derefPointer } from "../spec/ref";
import { matchOperation, serverBasePaths, type UrlMatch } from "../spec/url";
import type { Severity, Violation } from "./types";
import { precompiledExplainers, precompiledValidators } from "./precompiled";
import { narrowRootUnion, narrowUnions, tagValues } from "./unions";
import { ERROR_LIMIT, runValidator, ValidatorStore } from "./validator";
import { MAX_VIOLATIONS, onePerField, schemaViolations, type ErrorSource, type ValidateOptions } from "./violations";

type Json = Record<string, unknown>;

export interface LoadOptions {
  /** Assert `format` keywords (default true). */
  formats?: boolean;
  /**
   * Violations reported per validated payload (default 100). Past the cap the payload is not explained further: one
   * `violations_capped` finding says how many more schema errors were found.
   */
  maxViolations?: number;
}

/** A loaded contract: operation index plus lazily compiled validators. */
export class Contract {
  readonly spec: Json;
  readonly operations: OperationSpec[];
  /** Path prefixes of the declared servers, e.g. `/api/v1`. */
  readonly basePaths: string[];
  readonly maxViolations: number;
  /** Raw errors after which the open validator stops walking arrays and objects (see limitLoops). */
  readonly errorLimit: number;
  private readonly validators: ValidatorStore;
  private readonly source: ErrorSource;
  private readonly matchCache = new Map<string, UrlMatch>();

  constructor(spec: unknown, opts: LoadOptions = {}) {
    const s = openApiDocument(spec);
    this.spec = s;
    this.maxViolations = opts.maxViolations ?? MAX_VIOLATIONS;
    this.errorLimit = Math.max(ERROR_LIMIT, 10 * this.maxViolations);
    if (!Number.isInteger(this.maxViolations) || this.maxViolations < 1) {
      throw new Error("maxViolations must be a positive integer");
    }
    this.basePaths = serverBasePaths(s);
    this.operations = indexOperations(s);
    const formats = opts.formats ?? true;
    // The bundled spec's verdicts were compiled at generate time (with formats); any other spec compiles on use.
    const bundled = s === bundledSpec && formats;
    const precompiled = bundled ? precompiledValidators : undefined;
    const explainers = bundled ? () => precompiledExplainers(s) : undefined;
    const store = (this.validators = new ValidatorStore(s, formats, this.errorLimit, precompiled, explainers));
    this.source = {
      spec: s,
      pointerOf: (schema) => store.pointerOf(schema),
      isOpenEnumError: (e) => isOpenEnumError(store, e),
      tagValues: (union, tag) => tagValues(s, store, union, tag),
      maxViolations: this.maxViolations,
      errorLimit: this.errorLimit,
    };
  }

  /** Find an operation by operationId, `"/chat/completions"`, or `"POST /chat/completions"`. */
  operation(ref: string | OperationSpec): OperationSpec | undefined {
    return typeof ref === "string" ? findOperation(this.operations, ref) : ref;
  }

  /** Find the operation for a concrete request (method + absolute or relative URL). */
  match(method: string, url: string): UrlMatch {
    const key = `${method} ${url}`;
    const hit = this.matchCache.get(key);
    if (hit) return hit;
    const r = matchOperation(this.operations, this.basePaths, method, url);
    if (this.matchCache.size > 1024) this.matchCache.clear();
    this.matchCache.set(key, r);
    return r;
  }

  /** Resolve `$ref`s (local only) until a non-ref object; returns the object and its pointer. */
  deref(pointer: string): { node: unknown; pointer: string } {
    return derefPointer(this.spec, pointer);
  }

  /**
   * True when a precompiled verdict says `data` passes: `validate` (or, with `undocumented`,
   * `validateWithUndocumented`) would return no finding. False means "not known to pass": call them to find out.
   */
  passes(pointer: string, data: unknown, undocumented: boolean): boolean {
    return this.validators.verdict(pointer, undocumented ? "closed" : "open", data) === true;
  }

  /**
   * Validate `data` against the schema at `pointer`. Returns violations with pointers into the payload and the spec,
   * deduplicated; oneOf/anyOf failures are narrowed to the best-matching branch.
   */
  validate(pointer: string, data: unknown, o: ValidateOptions): Violation[] {
    const verdict = this.validators.verdict(pointer, "open", data);
    if (verdict === true) return [];
    return this.explainOpen(pointer, data, o, verdict === false);
  }

  /**
   * `validate` without asking the precompiled verdict (the caller did: it was not a pass). `fails`: the verdict was a
   * fail, so a schema that is only a union is explained from its branches alone (narrowRootUnion).
   */
  private explainOpen(pointer: string, data: unknown, o: ValidateOptions, fails = false): Violation[] {
    const narrowed = fails ? narrowRootUnion(this.validators, pointer, data, this.errorLimit) : undefined;
    if (narrowed) return schemaViolations(this.source, narrowed, data, o, false, false);
    const fn = this.validators.compile(pointer, "open");
    this.validators.resetLimit();
    const ok = runValidator(fn, data, pointer);
    if (!this.validators.limitHit) return ok ? [] : this.explain(fn.errors ?? [], data, o, false);
    // The open validator stopped walking after errorLimit errors: its errors explain the payload, but its verdict can
    // be wrong (a union branch that fails with thousands of errors, e.g. a long valid token array tried as string[]).
    // The fail-fast validator gives the exact verdict.
    const errors = fn.errors ?? [];
    const fast = this.validators.compile(pointer, "fast");
    if (runValidator(fast, data, pointer)) return [];
    return this.explain(!ok && errors.length ? errors : (fast.errors ?? []), data, o, false, true);
  }

  /**
   * Unknown-field pass: validates against a copy of the schema where every object schema with `properties` is
   * closed (`unevaluatedProperties: false`). Only undocumented-field findings are returned.
   */
  undocumentedFields(pointer: string, data: unknown, o: ValidateOptions): Violation[] {
    if (this.validators.verdict(pointer, "closed", data) === true) return [];
    const fn = this.validators.compile(pointer, "closed");
    if (runValidator(fn, data, pointer)) return [];
    return onePerField(this.explain(this.undocumentedOnly(fn.errors ?? [], data), data, o, true));
  }

  /**
   * Schema errors, or (when there are none) undocumented-field findings at `undocumentedSeverity`. Valid traffic costs
   * one validation: the closed copy runs first and, when it passes, the open schema passes too. (Exception: a oneOf
   * that matches several branches only in the open schema; such a spec is ambiguous and Redocly flags it.)
   */
  validateWithUndocumented(
    pointer: string,
    data: unknown,
    o: ValidateOptions,
    undocumentedSeverity: Severity,
  ): Violation[] {
    if (this.validators.verdict(pointer, "closed", data) === true) return [];
    // A schema error wins over undocumented fields: when the open verdict already fails, explain that first and
    // skip the closed all-errors run (its errors would only be read if there were no schema errors).
    const open = this.validators.verdict(pointer, "open", data);
    if (open === false) {
      const schemaErrors = this.explainOpen(pointer, data, o, true);
      if (schemaErrors.length) return schemaErrors;
    }
    const closed = this.validators.compile(pointer, "closed");
    if (runValidator(closed, data, pointer)) return [];
    const closedErrors = closed.errors ?? [];
    // With a verdict, the open schema's findings are already known (none); without one, they are computed here.
    if (open === undefined) {
      const schemaErrors = this.validate(pointer, data, o);
      if (schemaErrors.length) return schemaErrors;
    }
    const errs = this.undocumentedOnly(closedErrors, data);
    const as = { ...o, check: "no_undocumented_fields", severity: undocumentedSeverity };
    return onePerField(this.explain(errs, data, as, true));
  }

  /**
   * Closed-copy errors reduced to undocumented fields and unknown values of open enums, taken only from the union
   * branches the value really matches (so a field of one branch is not reported as unknown to another).
   */
  private undocumentedOnly(errors: ErrorObject[], data: unknown): ErrorObject[] {
    return narrowUnions(this.validators, errors, data, true).filter(
      (e) =>
        e.keyword === "unevaluatedProperties" ||
        e.keyword === "additionalProperties" ||
        isOpenEnumError(this.validators, e),
    );
  }

  private explain(errors: ErrorObject[], data: unknown, o: ValidateOptions, closed: boolean, partial = false) {
    return schemaViolations(this.source, narrowUnions(this.validators, errors, data, closed), data, o, closed, partial);
  }
}

function isOpenEnumError(store: ValidatorStore, e: ErrorObject): boolean {
  const at = store.pointerOf(e.parentSchema);
  return e.keyword === "enum" && at !== undefined && store.openKnown.has(at);
}
