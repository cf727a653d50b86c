/**
 * Failing `oneOf`/`anyOf`: Ajv reports the errors of every branch; the useful answer is the branch the value was meant
 * for. Also the tag values of a discriminated union's branches, for its messages.
 */
import type { ErrorObject } from "ajv";
import { getAt } from "../spec/pointer";
import { derefPointer } from "../spec/ref";
import { runValidator, type ValidatorStore } from "./validator";

type Json = Record<string, unknown>;

/**
 * For each failing oneOf/anyOf, keep only the errors of the branch the value was meant for: for an object, the
 * branch whose tags (`const` properties) it carries, else the one sharing most of its properties (less the required
 * ones it lacks); then the branch that got furthest into the data. Linear in the number of errors: errors are
 * indexed by instance path, and the regions of the unions narrowed are disjoint.
 * `closed`: the errors come from the closed copy (undocumented fields), where the branch that matters is the one the
 * value matches in the open schema.
 */
export function narrowUnions(
  store: ValidatorStore,
  errors: ErrorObject[],
  data: unknown,
  closed: boolean,
  depth = 0,
): ErrorObject[] {
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
    const base = store.pointerOf(ps);
    const branches = ps[c.keyword];
    if (base === undefined || !Array.isArray(branches)) continue;
    const key = `${c.instancePath}|${base}`;
    if (done.has(key)) continue;
    done.add(key);
    if (c.keyword === "oneOf" && (c.params as Json).passingSchemas) continue; // matched several: keep as is
    const value = getAt(data, c.instancePath);
    const under = (errs: ErrorObject[]) => errs.map((e) => ({ ...e, instancePath: c.instancePath + e.instancePath }));
    let best: ErrorObject[] | undefined;
    // Closed copy: the branch that matters is the one the value matches in the open schema (an open enum's
    // fallback stands for its known-values branch), not the one that got furthest.
    let taken = -1;
    if (closed) {
      for (let i = 0; i < branches.length && taken < 0; i++) {
        const open = store.compile(`#${base}/${c.keyword}/${i}`, "open");
        if (runValidator(open, value, `#${base}`)) taken = i;
      }
    }
    if (taken >= 0) {
      const at = `${base}/${c.keyword}/${taken}`;
      const fn = store.compile(`#${store.openFallbacks.get(at) ?? at}`, "closed");
      best = runValidator(fn, value, `#${at}`) ? [] : under(fn.errors ?? []);
    }
    if (taken < 0) {
      const pick = bestBranch(store, base, c.keyword, branches.length, value, closed);
      best = pick.best && under(pick.best);
    }
    if (!best) continue;
    // Drop c and the errors at or under its instance path that come from other schemas than the union itself.
    const drop = (list: ErrorObject[] | undefined) => {
      for (const e of list ?? []) if (e === c || e.parentSchema !== ps) removed.add(e);
    };
    drop(byPath.get(c.instancePath));
    const prefix = `${c.instancePath}/`;
    for (let i = lowerBound(paths, prefix); i < paths.length && paths[i]!.startsWith(prefix); i++) {
      drop(byPath.get(paths[i]!));
    }
    added.push(...narrowUnions(store, best, data, closed, depth + 1));
  }
  return removed.size ? [...errors.filter((e) => !removed.has(e)), ...added] : [...errors, ...added];
}

/** Keywords that validate nothing here (Ajv ignores them), so a schema of these and one union is the union alone. */
const ANNOTATIONS = new Set([
  "$comment",
  "default",
  "deprecated",
  "description",
  "example",
  "examples",
  "externalDocs",
  "readOnly",
  "title",
  "writeOnly",
]);

/** A schema that comes down, through `$ref`s, to one oneOf/anyOf (no discriminator) and at most `type: "object"`. */
interface RootUnion {
  base: string;
  keyword: "oneOf" | "anyOf";
  count: number;
  object: boolean;
}

const rootCache = new WeakMap<ValidatorStore, Map<string, RootUnion | null>>();

function rootUnion(store: ValidatorStore, pointer: string): RootUnion | null {
  let cache = rootCache.get(store);
  if (!cache) rootCache.set(store, (cache = new Map()));
  let hit = cache.get(pointer);
  if (hit === undefined) cache.set(pointer, (hit = findRootUnion(store.spec, pointer.replace(/^#/, ""))));
  return hit;
}

function findRootUnion(spec: Json, pointer: string): RootUnion | null {
  if (pointer.includes("%")) return null;
  let at = pointer;
  for (let hops = 0; hops < 16; hops++) {
    const node = getAt(spec, `#${at}`);
    if (!node || typeof node !== "object" || Array.isArray(node)) return null;
    const keys = Object.keys(node).filter((k) => !ANNOTATIONS.has(k) && !k.startsWith("x-"));
    const n = node as Json;
    if (typeof n.$ref === "string") {
      // Local refs in plain pointer form only (a percent-encoded one would name its branches differently).
      if (keys.length !== 1 || !n.$ref.startsWith("#/") || n.$ref.includes("%")) return null;
      at = n.$ref.slice(1);
      continue;
    }
    const keyword = Array.isArray(n.anyOf) ? "anyOf" : Array.isArray(n.oneOf) ? "oneOf" : undefined;
    const object = n.type === "object";
    const rest = keys.filter((k) => k !== keyword && !(object && k === "type"));
    const count = keyword ? (n[keyword] as unknown[]).length : 0;
    return keyword && count > 0 && rest.length === 0 ? { base: at, keyword, count, object } : null;
  }
  return null;
}

/**
 * What narrowUnions makes of the open validator's errors at `pointer` on a payload that fails it, when that schema is
 * only a union (RootUnion): then narrowUnions drops every error but those of the best branch, run alone; so the
 * union's own all-errors run can be skipped. Undefined when that is not certain: the schema is not such a union, the
 * value fails its `type`, a branch passes, a run stops at the error limit (limitHit), the branches' errors together
 * could reach that limit inside the union's run, or a branch's errors hold the union's own (a recursive schema).
 */
export function narrowRootUnion(
  store: ValidatorStore,
  pointer: string,
  data: unknown,
  errorLimit: number,
): ErrorObject[] | undefined {
  const u = rootUnion(store, pointer);
  if (!u || (u.object && (!data || typeof data !== "object" || Array.isArray(data)))) return undefined;
  store.resetLimit();
  const pick = bestBranch(store, u.base, u.keyword, u.count, data, false);
  if (!pick.best || store.limitHit || pick.total + 1 >= errorLimit) return undefined;
  for (const errs of pick.runs) for (const e of errs) if (store.pointerOf(e.parentSchema) === u.base) return undefined;
  // As narrowUnions does with the best branch's errors under the union (at the root: the same paths, copied).
  return narrowUnions(
    store,
    pick.best.map((e) => ({ ...e })),
    data,
    false,
    1,
  );
}

/**
 * Of the `count` branches of the union at `base`, the errors of the one the value was meant for (see narrowUnions):
 * none when a branch passes. `runs`: every branch's errors (`total` of them).
 */
function bestBranch(
  store: ValidatorStore,
  base: string,
  keyword: string,
  count: number,
  value: unknown,
  closed: boolean,
): { best?: ErrorObject[]; total: number; runs: ErrorObject[][] } {
  let best: ErrorObject[] | undefined;
  let bestScore = [Number.NEGATIVE_INFINITY];
  let total = 0;
  const runs: ErrorObject[][] = [];
  for (let i = 0; i < count; i++) {
    const fn = store.compile(`#${base}/${keyword}/${i}`, closed ? "closed" : "open");
    if (runValidator(fn, value, `#${base}`)) return { total, runs };
    const errs = fn.errors ?? [];
    total += errs.length;
    runs.push(errs);
    let deepest = 0;
    let nonType = 0;
    for (const e of errs) {
      const depth = segments(e.instancePath) + (e.keyword === "required" ? 1 : 0);
      if (depth > deepest) deepest = depth;
      if (e.keyword !== "type" && e.keyword !== "const" && e.keyword !== "enum") nonType = 1;
    }
    const [tags, common] = affinity(store, `#${base}/${keyword}/${i}`, value);
    const score = [tags!, common!, deepest * 2 + nonType, -errs.length];
    if (better(score, bestScore)) {
      bestScore = score;
      best = errs;
    }
  }
  return { best, total, runs };
}

/** `pointer.split("/").length`, without the split. */
function segments(pointer: string): number {
  let n = 1;
  for (let i = pointer.indexOf("/"); i >= 0; i = pointer.indexOf("/", i + 1)) n++;
  return n;
}

/** Lexicographic `a > b`. */
function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return false;
}

/** What a branch declares for an object: its property schemas (with `allOf` members') and required names. */
interface Shape {
  types?: unknown;
  properties: Json;
  required: string[];
  union?: string[];
  /** Derived once: whether `types` allows an object, and each property with its tag (`const`), if any. */
  object: boolean;
  tags: [string, unknown][];
}

const shapeCache = new WeakMap<ValidatorStore, Map<string, Shape>>();

function shapeOf(store: ValidatorStore, pointer: string): Shape {
  let cache = shapeCache.get(store);
  if (!cache) shapeCache.set(store, (cache = new Map()));
  const hit = cache.get(pointer);
  if (hit) return hit;
  const shape: Shape = { properties: {}, required: [], object: true, tags: [] };
  try {
    const { node, pointer: at } = derefPointer(store.spec, pointer);
    const n = (node && typeof node === "object" ? node : {}) as Json;
    shape.types = n.type;
    const parts = [
      n,
      ...(Array.isArray(n.allOf) ? n.allOf.map((_x, k) => derefPointer(store.spec, `${at}/allOf/${k}`).node) : []),
    ];
    for (const p of parts as Json[]) {
      if (p?.properties && typeof p.properties === "object") Object.assign(shape.properties, p.properties);
      if (Array.isArray(p?.required)) shape.required.push(...p.required.map(String));
    }
    const kw = Array.isArray(n.oneOf) ? "oneOf" : Array.isArray(n.anyOf) ? "anyOf" : undefined;
    if (kw) shape.union = (n[kw] as unknown[]).map((_x, k) => `${at}/${kw}/${k}`);
  } catch {
    // a dangling or cyclic $ref: no shape, the other scores decide
  }
  const t = shape.types;
  shape.object = (Array.isArray(t) ? t : t === undefined ? ["object"] : [t]).includes("object");
  for (const [k, prop] of Object.entries(shape.properties)) {
    shape.tags.push([k, prop && typeof prop === "object" ? (prop as Json).const : undefined]);
  }
  cache.set(pointer, shape);
  return shape;
}

/**
 * How well an object `value` fits the branch at `pointer`: [tags it matches minus tags it contradicts, properties it
 * shares minus required ones it lacks]. A branch that cannot be an object scores lowest; a nested union scores as its
 * best member; a non-object value scores 0 everywhere (the other scores decide).
 */
function affinity(store: ValidatorStore, pointer: string, value: unknown, depth = 0): number[] {
  if (!value || typeof value !== "object" || Array.isArray(value)) return [0, 0];
  const v = value as Json;
  const shape = shapeOf(store, pointer);
  if (!shape.object) return [-1e6, -1e6];
  if (shape.union && depth < 4) {
    let best = [-1e6, -1e6];
    for (const p of shape.union) {
      const a = affinity(store, p, value, depth + 1);
      if (better(a, best)) best = a;
    }
    return best;
  }
  let tags = 0;
  let common = 0;
  for (const [k, tag] of shape.tags) {
    if (!(k in v)) continue;
    common++;
    if (tag !== undefined) tags += tag === v[k] ? 1 : -1;
  }
  for (const r of shape.required) if (!(r in v)) common--;
  return [tags, common];
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

const tagCache = new WeakMap<object, Map<string, unknown[]>>();

/** The `const`/`enum` values each branch of a discriminated union gives its tag property, in branch order. */
export function tagValues(spec: Json, store: ValidatorStore, union: unknown, tag: string): unknown[] {
  if (!union || typeof union !== "object") return tagValuesUncached(spec, store, union, tag);
  const cached = tagCache.get(union)?.get(tag);
  if (cached) return cached;
  const values = tagValuesUncached(spec, store, union, tag);
  const m = tagCache.get(union) ?? new Map<string, unknown[]>();
  m.set(tag, values);
  tagCache.set(union, m);
  return values;
}

function tagValuesUncached(spec: Json, store: ValidatorStore, union: unknown, tag: string): unknown[] {
  const base = store.pointerOf(union);
  const branches = base === undefined ? undefined : (getAt(spec, `#${base}`) as Json | undefined)?.oneOf;
  if (!Array.isArray(branches)) return [];
  const out: unknown[] = [];
  branches.forEach((_b, i) => {
    const branch = derefPointer(spec, `#${base}/oneOf/${i}`).node as Json | undefined;
    const prop = (branch?.properties as Json | undefined)?.[tag] as Json | undefined;
    if (prop && "const" in prop) out.push(prop.const);
    else if (Array.isArray(prop?.enum)) out.push(...prop.enum);
  });
  return [...new Set(out)];
}
