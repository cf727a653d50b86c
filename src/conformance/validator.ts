/**
 * The one Ajv setup of the project (JSON Schema 2020-12 + formats, one set of options), the rewrites of Ajv's generated
 * code that bound its work on hostile payloads, and the compiled-validator store a Contract uses: an open, a closed
 * (undocumented fields) and a fail-fast validator over one copy of the spec, with the discriminator fallback.
 */
import type { Code, ValidateFunction } from "ajv";
import type Ajv2020 from "ajv/dist/2020.js";
import { ajvModules } from "./ajv-modules";
import { escapeToken, getAt } from "../spec/pointer";
import { checkRefChains } from "../spec/ref";
import { closeObjects } from "./closed";

type Json = Record<string, unknown>;
export type Ajv = InstanceType<typeof Ajv2020>;

/** Raw validation errors after which a payload is no longer walked (at least 10x maxViolations). */
export const ERROR_LIMIT = 10_000;

export interface AjvOptions {
  /** Collect every error (default true); false stops at the first one (a verdict, no explanation). */
  allErrors?: boolean;
  /** Use OpenAPI's `discriminator` to pick a oneOf branch (default true); false lets the branches decide alone. */
  discriminator?: boolean;
  /** Assert `format` keywords (default true), OpenAPI's own formats included. */
  formats?: boolean;
  /** Stop walking arrays and objects after this many raw errors (see limitLoops); default: no limit. */
  errorLimit?: number;
  /**
   * Keep the generated source for Ajv's standalone code (generate time only): formats are then read from the given
   * expression, and errors carry no schema objects and no messages (verdicts only) unless `explain` is set.
   */
  standalone?: { formats: Code; explain?: boolean };
  /**
   * Run Ajv's code optimizer (default true). Off, a schema compiles in about half the time into code that is slower
   * to run: right for validators that only explain payloads already known to fail.
   */
  optimize?: boolean;
}

/** OpenAPI's own formats, beside ajv-formats' full set: int32 is checked, the others only annotate. */
export const OPENAPI_FORMATS: Readonly<Record<string, true | { type: "number"; validate: (n: number) => boolean }>> = {
  int32: { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 },
  int64: true,
  float: true,
  double: true,
  password: true,
  byte: true,
  binary: true,
};

/** A new Ajv 2020 instance with the project's options (spec-tolerant: no strict mode, no meta-schema check). */
export function createAjv(opts: AjvOptions = {}): Ajv {
  const formats = opts.formats ?? true;
  const limit = opts.errorLimit;
  const { Ajv2020, addFormats } = ajvModules();
  const ajv = new Ajv2020({
    allErrors: opts.allErrors ?? true,
    strict: false,
    verbose: !opts.standalone || opts.standalone.explain === true,
    messages: !opts.standalone || opts.standalone.explain === true,
    discriminator: opts.discriminator ?? true,
    validateFormats: formats,
    validateSchema: false,
    code: {
      optimize: opts.optimize ?? true,
      process: limit === undefined ? linearErrors : (code: string) => limitLoops(linearErrors(code), limit),
      ...(opts.standalone ? { source: true, formats: opts.standalone.formats } : {}),
    },
  });
  ajv.removeKeyword("nullable");
  if (formats) {
    addFormats(ajv);
    for (const [name, f] of Object.entries(OPENAPI_FORMATS)) ajv.addFormat(name, f);
  }
  return ajv;
}

/** `{$ref}` to a pointer inside the schema registered as `id`, percent-encoded as Ajv resolves fragments as URIs. */
export function schemaRef(id: string, pointer: string): { $ref: string } {
  const ptr = pointer.startsWith("#") ? pointer : `#${pointer}`;
  return { $ref: id + ptr.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/#]/g, (c) => encodeURIComponent(c)) };
}

/** Run a compiled validator; a stack overflow (a spec that recurses without end) becomes a clear error. */
export function runValidator(fn: ValidateFunction, data: unknown, pointer: string): boolean {
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

/**
 * Bound the work on a hostile payload: once a validator has errorLimit errors, its loops over array items and object
 * keys stop (and flag the Ajv instance, `self` in Ajv's generated code). The errors found so far explain the payload;
 * Contract.validate takes the verdict from a fail-fast validator whenever the flag is set.
 */
export function limitLoops(code: string, limit: number | string, flag = "self.__limitHit"): string {
  const stop = `if(errors>=${limit}){${flag}=true;break;}`;
  return code
    .replace(/for\(let (i\d+)=0; \1<(len\d+); \1\+\+\)\{/g, (m) => m + stop)
    .replace(/for\(const (key\d+) in (data\d*)\)\{/g, (m) => m + stop);
}

const ID = "https://openrouter-contract.invalid/openapi.json";
const CLOSED_ID = "https://openrouter-contract.invalid/openapi.closed.json";
/** The `$id`s the open and closed copies are registered under (schemaRef builds refs into them). */
export const SCHEMA_IDS = { open: ID, closed: CLOSED_ID } as const;

/** open: every error (bounded by errorLimit); closed: undocumented fields too; fast: stops at the first error. */
export type ValidatorKind = "open" | "closed" | "fast";

/**
 * Fail-fast validators compiled ahead of time (Ajv standalone code), by `open:<pointer>` and `closed:<pointer>`: they
 * give the verdict of the open or closed schema at the pointer without compiling anything at run time.
 */
export type Precompiled = Readonly<Record<string, ((data: unknown) => boolean) | undefined>>;

/** What the precompiled explaining validators read at run time (see scripts/precompile-validators.ts). */
export interface ExplainerRuntime {
  /** The run-time copy's schema object at `pointer`: errors carry it as `parentSchema`. */
  schema(copy: "open" | "closed", pointer: string): unknown;
  errorLimit: number;
  /** Set when an open validator stopped walking at errorLimit (limitLoops). */
  state: { limitHit: boolean };
}

/**
 * Compiled validators for one spec, created lazily and cached per pointer. The spec's `$ref` chains are checked
 * before the first compile. When the spec's discriminators don't meet Ajv's requirements, every validator is
 * rebuilt once without them (plain oneOf).
 */
export class ValidatorStore {
  private readonly ajvs = new Map<ValidatorKind, Ajv>();
  private readonly caches = new Map<ValidatorKind, Map<string, ValidateFunction>>();
  private refsChecked = false;
  private noDiscriminator = false;
  private validationCopy: Json | undefined;
  private closedCopy: Json | undefined;
  private index: WeakMap<object, string> | undefined;
  private readonly explainerSets: { open?: Precompiled | null; closed?: Precompiled | null } = {};
  private readonly explainState = { limitHit: false };
  /** Closed copy only: open-enum fallback branch pointer -> its known-values branch pointer. */
  openFallbacks = new Map<string, string>();
  /** Closed copy only: pointers of schemas that list an open enum's known values. */
  openKnown = new Set<string>();

  constructor(
    readonly spec: Json,
    private readonly formats: boolean,
    private readonly errorLimit: number,
    /** Verdict-only validators compiled at generate time for exactly this spec and these formats (lazy). */
    private readonly precompiled?: () => Precompiled,
    /** Explaining validators (every error) compiled at generate time for the same spec and formats, if any (lazy). */
    private readonly explainers?: () => ((kind: "open" | "closed", rt: ExplainerRuntime) => Precompiled) | undefined,
  ) {}

  /**
   * The verdict of the open or closed schema at `pointer` from a precompiled validator, or undefined when none was
   * precompiled (then the caller compiles). A fail-fast validator's verdict is the schema's: only explanations need
   * the validators that collect every error.
   */
  verdict(pointer: string, kind: "open" | "closed", data: unknown): boolean | undefined {
    if (!this.precompiled) return undefined;
    const byPointer = kind === "open" ? this.openVerdicts : this.closedVerdicts;
    let fn = byPointer.get(pointer);
    if (fn === undefined) {
      fn = this.precompiled()[`${kind}:${pointer.startsWith("#") ? pointer : `#${pointer}`}`] ?? null;
      byPointer.set(pointer, fn);
    }
    return fn ? runValidator(fn as ValidateFunction, data, pointer) : undefined;
  }

  private readonly openVerdicts = new Map<string, ((data: unknown) => boolean) | null>();
  private readonly closedVerdicts = new Map<string, ((data: unknown) => boolean) | null>();

  /** Whether the open validator stopped walking at errorLimit during its last run (reset before each run). */
  get limitHit(): boolean {
    const ajv = this.ajvs.get("open") as unknown as { __limitHit?: boolean } | undefined;
    return ajv?.__limitHit === true || this.explainState.limitHit;
  }

  resetLimit(): void {
    const ajv = this.ajvs.get("open") as unknown as { __limitHit?: boolean } | undefined;
    if (ajv) ajv.__limitHit = false;
    this.explainState.limitHit = false;
  }

  /** Spec pointer (without `#`) of a schema object of the validation copy, e.g. an error's `parentSchema`. */
  pointerOf(schema: unknown): string | undefined {
    return schema && typeof schema === "object" ? this.index?.get(schema) : undefined;
  }

  compile(pointer: string, kind: ValidatorKind): ValidateFunction {
    let cache = this.caches.get(kind);
    if (!cache) this.caches.set(kind, (cache = new Map()));
    const hit = cache.get(pointer);
    if (hit) return hit;
    let fn = kind === "fast" ? undefined : this.explainer(pointer, kind);
    if (fn) {
      cache.set(pointer, fn);
      return fn;
    }
    try {
      fn = this.ajv(kind).compile(schemaRef(kind === "closed" ? CLOSED_ID : ID, pointer));
    } catch (err) {
      if (!this.noDiscriminator && /discriminator/i.test(String(err))) {
        // The spec's discriminators don't meet Ajv's requirements: validate through plain oneOf instead.
        this.noDiscriminator = true;
        this.ajvs.clear();
        this.caches.clear();
        this.validationCopy = this.closedCopy = this.index = undefined;
        return this.compile(pointer, kind);
      }
      if (err instanceof RangeError) {
        const ptr = pointer.startsWith("#") ? pointer : `#${pointer}`;
        throw new Error(`cannot compile the schema at ${ptr}: it nests or recurses too deeply (${err.message})`);
      }
      throw err;
    }
    cache.set(pointer, fn);
    return fn;
  }

  /** The precompiled explaining validator of `kind` at `pointer`, if any (each copy's set made on first use). */
  private explainer(pointer: string, kind: "open" | "closed"): ValidateFunction | undefined {
    if (!this.explainers || this.noDiscriminator) return undefined;
    let set = this.explainerSets[kind];
    if (set === undefined) {
      const create = this.explainers();
      // Their spec is the generator's, whose $ref chains were checked there: no second check to pay here.
      const copy = create && (kind === "open" ? this.copy(false) : this.closed(false));
      const schema = (_: string, p: string) => getAt(copy, p);
      set = this.explainerSets[kind] =
        create?.(kind, { schema, errorLimit: this.errorLimit, state: this.explainState }) ?? null;
    }
    return set?.[`${kind}:${pointer.startsWith("#") ? pointer : `#${pointer}`}`] as ValidateFunction | undefined;
  }

  /** The open validation copy (refs checked first, unless `checkRefs` is false), indexed by pointer. */
  private copy(checkRefs = true): Json {
    if (checkRefs && !this.refsChecked) {
      checkRefChains(this.spec);
      this.refsChecked = true;
    }
    if (!this.validationCopy) {
      this.validationCopy = prepareForValidation(this.spec, this.noDiscriminator);
      this.index = pointerIndex(this.validationCopy);
    }
    return this.validationCopy;
  }

  /** The closed copy (undocumented fields, open enums closed), indexed into the same pointer map. */
  private closed(checkRefs = true): Json {
    if (!this.closedCopy) {
      const { doc, fallbacks, known } = closeObjects(this.copy(checkRefs));
      this.openFallbacks = fallbacks;
      this.openKnown = known;
      pointerIndex(doc, this.index);
      this.closedCopy = doc;
    }
    return this.closedCopy;
  }

  private ajv(kind: ValidatorKind): Ajv {
    const existing = this.ajvs.get(kind);
    if (existing) return existing;
    const copy = this.copy();
    const ajv = createAjv({
      allErrors: kind !== "fast",
      // With precompiled verdicts, what is compiled here only explains failures: compiling fast matters more.
      optimize: !this.precompiled,
      discriminator: !this.noDiscriminator,
      formats: this.formats,
      ...(kind === "open" ? { errorLimit: this.errorLimit } : {}),
    });
    if (kind === "closed") ajv.addSchema({ ...this.closed(), $id: CLOSED_ID });
    else ajv.addSchema({ ...copy, $id: ID });
    this.ajvs.set(kind, ajv);
    return ajv;
  }
}

/** The open and closed copies of `spec` as the store registers them (the generator precompiles from these). */
export function validationCopies(spec: Json, noDiscriminator = false): { open: Json; closed: Json } {
  const open = prepareForValidation(spec, noDiscriminator);
  return { open, closed: closeObjects(open).doc };
}

/** Deep copy for validation: drop discriminator.mapping (Ajv rejects it) or whole discriminators (fallback). */
function prepareForValidation(spec: Json, noDiscriminator: boolean): Json {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== "object") return v;
    const o: Json = {};
    for (const k of Object.keys(v)) {
      const val = (v as Json)[k];
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
export function pointerIndex(doc: Json, map = new WeakMap<object, string>()): WeakMap<object, string> {
  const walk = (v: unknown, p: string) => {
    if (!v || typeof v !== "object" || map.has(v as object)) return;
    map.set(v as object, p);
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) walk(v[i], `${p}/${i}`);
    else for (const k of Object.keys(v)) walk((v as Json)[k], `${p}/${escapeToken(k)}`);
  };
  walk(doc, "");
  return map;
}
