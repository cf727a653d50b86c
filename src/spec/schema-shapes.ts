/**
 * Schema shapes the project gives a meaning beyond plain JSON Schema (pure, no dependencies). The open enum,
 * `anyOf: [{type: string, enum: [...]}, {type: string}]` (optionally with a `{type: 'null'}` branch), is a string
 * whose known values are listed: the generated types keep them for autocompletion, the conformance library's closed
 * copy reports a value outside them.
 */

import { escapeToken, getAt, isJsonObject } from "./pointer";

type Json = Record<string, unknown>;

/** Keywords a catch-all branch may carry besides `type`: annotations, which do not narrow the string. */
const ANNOTATIONS = new Set(["type", "description", "title", "deprecated", "example", "examples"]);

/** `{type: string}` with nothing but annotations: the catch-all branch of an open enum. */
export function isBareString(s: unknown): boolean {
  if (!s || typeof s !== "object") return false;
  return (s as Json).type === "string" && Object.keys(s as Json).every((k) => ANNOTATIONS.has(k));
}

export interface OpenEnum {
  /** Index in `anyOf` of the branch with the known values (`{type: string, enum: [...]}`, or a `$ref` to one). */
  known: number;
  /** The known values. */
  values: unknown[];
  /** The `$ref` of the known-values branch, when it is a named component (the bundle's `…Known` schemas). */
  knownRef?: string;
  /** Indexes in `anyOf` of the catch-all branches (bare strings). */
  catchAll: number[];
  /** One of the other branches is `{type: 'null'}`. */
  nullable: boolean;
}

/** `{type: string, enum: [...]}`: the known-values branch of an open enum. */
const isStringEnum = (b: unknown) => (b as Json | null)?.type === "string" && Array.isArray((b as Json).enum);

/**
 * The branches of an open enum, or undefined when `schema` is not one: its `anyOf` has a string branch with an
 * `enum` (inline, or a `$ref` that `resolve` turns into one: the bundle names the known values `…Known`), at least
 * one bare string, and otherwise only `{type: 'null'}`. The schema's own keywords beside `anyOf` are not looked at.
 */
export function openEnum(schema: unknown, resolve?: (ref: string) => unknown): OpenEnum | undefined {
  const branches = schema && typeof schema === "object" ? (schema as Json).anyOf : undefined;
  if (!Array.isArray(branches)) return undefined;
  const isNull = (b: unknown) => (b as Json | null | undefined)?.type === "null";
  const refOf = (b: unknown) => (b as Json | null)?.$ref;
  const target = (b: unknown) => (typeof refOf(b) === "string" && resolve ? resolve(refOf(b) as string) : b);
  const known = branches.findIndex((b) => isStringEnum(target(b)));
  if (known < 0) return undefined;
  const rest = branches.map((b, i) => [b, i] as const).filter(([, i]) => i !== known);
  if (!rest.some(([b]) => isBareString(b)) || !rest.every(([b]) => isBareString(b) || isNull(b))) return undefined;
  const ref = refOf(branches[known]);
  return {
    known,
    values: (target(branches[known]) as Json).enum as unknown[],
    ...(typeof ref === "string" ? { knownRef: ref } : {}),
    catchAll: rest.filter(([b]) => isBareString(b)).map(([, i]) => i),
    nullable: rest.some(([b]) => isNull(b)),
  };
}

/** A resolver for `openEnum` over a document's local refs (`#/components/schemas/X`). */
export function localRefs(doc: unknown): (ref: string) => unknown {
  return (ref) => (ref.startsWith("#/") ? getAt(doc, ref.slice(1)) : undefined);
}

/** Is `schema` an open enum (see `openEnum`)? */
export function isOpenEnum(schema: unknown, resolve?: (ref: string) => unknown): boolean {
  return openEnum(schema, resolve) !== undefined;
}

/**
 * The JSON Schema 2020-12 keywords whose values are subschemas, by container: a map of schemas, a list of schemas,
 * or one schema. Walkers use these so that example values (`examples`, `default`, `const`) are never taken for
 * schemas. `definitions` is the pre-2019 spelling of `$defs`.
 */
export const SUBSCHEMA_KEYWORDS = {
  maps: ["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"],
  lists: ["allOf", "anyOf", "oneOf", "prefixItems"],
  single: [
    "items",
    "additionalProperties",
    "unevaluatedProperties",
    "unevaluatedItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "contentSchema",
  ],
} as const;

const MAPS = new Set<string>(SUBSCHEMA_KEYWORDS.maps);
const LISTS = new Set<string>(SUBSCHEMA_KEYWORDS.lists);
const SINGLE = new Set<string>(SUBSCHEMA_KEYWORDS.single);

/**
 * The value `v` of keyword `k` (at pointer `ptr`, the keyword's own) with `f` applied to each subschema in it: a
 * map's entries, a list's members, or the one schema; anything else (a boolean schema, an example value) is returned
 * as it is. The one step every schema walker takes (the closed copy, the verdict copy, the explainers' branches).
 */
export function mapSubschemas(k: string, v: unknown, ptr: string, f: (s: Json, ptr: string) => unknown): unknown {
  if (MAPS.has(k) && isJsonObject(v)) {
    return Object.fromEntries(
      Object.entries(v).map(([n, x]) => [n, isJsonObject(x) ? f(x, `${ptr}/${escapeToken(n)}`) : x]),
    );
  }
  if (LISTS.has(k) && Array.isArray(v)) return v.map((x, i) => (isJsonObject(x) ? f(x, `${ptr}/${i}`) : x));
  if (SINGLE.has(k) && isJsonObject(v)) return f(v, ptr);
  return v;
}
