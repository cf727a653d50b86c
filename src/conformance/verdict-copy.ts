/**
 * The shape a precompiled verdict is compiled from (generate time only). Under JSON Schema 2020-12 Ajv evaluates
 * every `anyOf` branch, building error objects for the failing ones, because an `unevaluatedProperties` elsewhere
 * might read the properties the passing branches evaluated. Where nothing reads them, an `anyOf` is an if/else chain:
 * the same verdict (`if A else B` holds exactly when A or B holds), found by trying the branches in turn and stopping
 * at the first that passes, and Ajv's `if` builds no errors. Only verdicts come from this copy: findings are still
 * explained by validators compiled from the closed copy as it was, so no pointer or message changes.
 */
import { escapeToken, getAt, isJsonObject as isJson } from "../spec/pointer";
import { mapSubschemas, SUBSCHEMA_KEYWORDS } from "../spec/schema-shapes";

type Json = Record<string, unknown>;

/** Keywords that apply a subschema to the instance itself: their annotations reach its `unevaluated*` keywords. */
const IN_PLACE_LISTS = ["allOf", "anyOf", "oneOf"];
const IN_PLACE_SINGLE = ["not", "if", "then", "else"];

/**
 * A copy of `doc` (an OpenAPI document; its schemas under `components.schemas` and every `schema`/`itemSchema`) where
 * each `anyOf` that no `unevaluatedProperties`/`unevaluatedItems` depends on is an if/else chain. Branches without
 * `$ref` or subschemas (such as `{type: "null"}`) are tried first, and branches no instance can pass are dropped:
 * neither changes an `anyOf`'s verdict.
 * Left as they are: schemas that already have `if`, `then`, `else` or a `discriminator`, and any `anyOf` a `$ref`
 * points into (and a document with a `$dynamicRef`).
 */
export function shortCircuitUnions(doc: Json): Json {
  const schemas = new Set<Json>();
  const refs: string[] = [];
  const collect = (s: Json, ptr: string): Json => {
    schemas.add(s);
    if (typeof s.$ref === "string") refs.push(s.$ref);
    for (const [k, v] of Object.entries(s)) mapSubschemas(k, v, `${ptr}/${escapeToken(k)}`, collect);
    return s;
  };
  mapRoots(doc, collect);
  // Which schemas a `$dynamicRef` reaches is only known at run time: such a document is left as it is.
  if (JSON.stringify(doc).includes('"$dynamicRef"')) return doc;
  const read = readByUnevaluated(doc, schemas);
  const rewrite = (s: Json, ptr: string): Json => {
    const out: Json = {};
    for (const [k, v] of Object.entries(s)) out[k] = mapSubschemas(k, v, `${ptr}/${escapeToken(k)}`, rewrite);
    const branches = out.anyOf;
    if (!Array.isArray(branches) || read.has(s) || "if" in s || "then" in s || "else" in s || "discriminator" in s) {
      return out;
    }
    if (refs.some((r) => r.startsWith(`#${ptr}/anyOf/`))) return out;
    const { anyOf: _a, ...rest } = out;
    // A branch with `not: {}` (a closed open enum's catch-all) never passes: trying it only costs.
    const live = branches.some((b) => !neverPasses(b)) ? branches.filter((b) => !neverPasses(b)) : branches;
    const ordered = [...live.filter(isLeaf), ...live.filter((b) => !isLeaf(b))] as unknown[];
    return ordered.length === 1 ? { ...rest, anyOf: ordered } : { ...rest, ...ifElseChain(ordered) };
  };
  return mapRoots(doc, rewrite);
}

/** A copy of `doc` with each of its schemas (components.schemas, `schema`/`itemSchema` outside examples) mapped. */
function mapRoots(doc: Json, f: (s: Json, ptr: string) => Json): Json {
  const walk = (v: unknown, ptr: string, schemaHere: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${ptr}/${i}`, false));
    if (!isJson(v)) return v;
    if (schemaHere) return f(v, ptr);
    const o: Json = {};
    for (const [k, x] of Object.entries(v)) {
      const p = `${ptr}/${escapeToken(k)}`;
      o[k] =
        k === "examples" || k === "example"
          ? x
          : walk(x, p, ptr === "/components/schemas" || k === "schema" || k === "itemSchema");
    }
    return o;
  };
  return walk(doc, "", false) as Json;
}

/** `anyOf: [A, B, C]` as `{if: A, else: {if: B, else: C}}` (two branches or more). */
function ifElseChain(branches: unknown[]): Json {
  const [first, ...others] = branches;
  return { if: first, else: others.length === 1 ? others[0] : ifElseChain(others) };
}

/** `false`, or a schema with `not: {}`: no instance passes it, whatever its other keywords say. */
function neverPasses(b: unknown): boolean {
  return b === false || (isJson(b) && (b.not === true || (isJson(b.not) && Object.keys(b.not).length === 0)));
}

/** A branch that is checked inline and cheaply: no `$ref`, no subschema but an empty `not` (a closed catch-all). */
function isLeaf(b: unknown): boolean {
  if (!isJson(b) || "$ref" in b) return false;
  const { maps, lists, single } = SUBSCHEMA_KEYWORDS;
  return Object.entries(b).every(([k, v]) => {
    if (k === "not") return isJson(v) && Object.keys(v).length === 0;
    return ![...maps, ...lists, ...single].includes(k as never);
  });
}

/**
 * The schemas whose evaluated properties or items an `unevaluatedProperties`/`unevaluatedItems` reads: each schema
 * with one, and everything it applies to the same instance (allOf, anyOf, oneOf, not, if/then/else,
 * dependentSchemas, `$ref`s), transitively.
 */
function readByUnevaluated(doc: Json, schemas: Iterable<Json>): Set<Json> {
  const read = new Set<Json>();
  const visit = (s: unknown) => {
    if (!isJson(s) || read.has(s)) return;
    read.add(s);
    for (const k of IN_PLACE_LISTS) if (Array.isArray(s[k])) for (const b of s[k] as unknown[]) visit(b);
    for (const k of IN_PLACE_SINGLE) visit(s[k]);
    if (isJson(s.dependentSchemas)) for (const d of Object.values(s.dependentSchemas)) visit(d);
    if (typeof s.$ref === "string" && s.$ref.startsWith("#")) visit(getAt(doc, s.$ref.slice(1)));
  };
  for (const s of schemas) if ("unevaluatedProperties" in s || "unevaluatedItems" in s) visit(s);
  return read;
}
