// Bundle-time rewrites that make the bundle read the same in every client generator, without changing what it
// accepts: each rewrite is equivalent JSON Schema. The source keeps the short authoring form (openapi/README.md);
// generate.ts applies this to the Redocly bundle before writing generated/.
//   1. `type: [T, 'null']` + `enum: [..., null]`  ->  `anyOf: [{type: T, enum: [...]}, {type: 'null'}]`
//      (several generators drop the null, type it as the string "null", or emit code that does not compile).
//   2. every `const` also gets a one-value `enum` (discriminated unions built from `const` alone crash some).
//   3. `default` leaves component schemas and is stated in the description instead: generators that treat a
//      default as "always present" would otherwise make `stream` a required request property.
//   4. request bodies that accept unknown keys say `additionalProperties: true`, so generated request types
//      are open as the contract says.

import { SUBSCHEMA_KEYWORDS } from "../src/spec/schema-shapes";

type Json = Record<string, unknown>;
type Visit = (schema: Json, path: string) => void;

const { maps: SCHEMA_MAPS, lists: SCHEMA_LISTS, single: SCHEMA_ONE } = SUBSCHEMA_KEYWORDS;

/** Calls `fn` on every schema object reachable from `schema` (children first), never on example values. */
function walk(node: unknown, fn: Visit, path: string): void {
  if (!node || typeof node !== "object" || Array.isArray(node)) return;
  const schema = node as Json;
  for (const key of SCHEMA_MAPS) {
    for (const [name, sub] of Object.entries(schema[key] ?? {})) walk(sub, fn, `${path}/${key}/${name}`);
  }
  for (const key of SCHEMA_LISTS) {
    for (const [i, sub] of ((schema[key] ?? []) as unknown[]).entries()) walk(sub, fn, `${path}/${key}/${i}`);
  }
  for (const key of SCHEMA_ONE) if (typeof schema[key] === "object") walk(schema[key], fn, `${path}/${key}`);
  fn(schema, path);
}

const show = (value: unknown) => `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;

function nullableEnum(schema: Json, path: string): void {
  if (!Array.isArray(schema.type) || !schema.type.includes("null") || !Array.isArray(schema.enum)) return;
  if (!schema.enum.includes(null)) return;
  if (schema.anyOf || schema.oneOf) throw new Error(`${path}: nullable enum beside anyOf/oneOf`);
  const types = schema.type.filter((t) => t !== "null");
  const values = schema.enum.filter((v) => v !== null);
  delete schema.type;
  delete schema.enum;
  schema.anyOf = [{ type: types.length === 1 ? types[0] : types, enum: values }, { type: "null" }];
}

function constEnum(schema: Json): void {
  if ("const" in schema && !("enum" in schema)) schema.enum = [schema.const];
}

function defaultToDescription(schema: Json): void {
  if (!("default" in schema)) return;
  const text = `Default: ${show(schema.default)}.`;
  const description = String(schema.description ?? "").trim();
  // Keep a description that already states the default; otherwise add one sentence.
  if (!/\bdefault\b/i.test(description)) schema.description = description ? `${description} ${text}` : text;
  delete schema.default;
}

/** Component names of the JSON request bodies of all operations. */
function requestBodySchemas(bundle: Json): string[] {
  const names = new Set<string>();
  for (const item of Object.values((bundle.paths ?? {}) as Record<string, Json>)) {
    for (const op of Object.values(item) as any[]) {
      const ref = op?.requestBody?.content?.["application/json"]?.schema?.$ref;
      const m = typeof ref === "string" && /^#\/components\/schemas\/([^/]+)$/.exec(ref);
      if (m) names.add(m[1]!);
    }
  }
  return [...names];
}

/** Rewrites `bundle` (a parsed, ref-preserving OpenAPI 3.1 bundle) in place and returns it. */
export function normalizeBundle<T extends object>(bundle: T): T {
  const schemas: Record<string, Json> = (bundle as { components?: { schemas?: any } }).components?.schemas ?? {};
  for (const [name, schema] of Object.entries(schemas)) {
    walk(
      schema,
      (s, path) => {
        nullableEnum(s, path);
        constEnum(s);
        defaultToDescription(s);
      },
      `#/components/schemas/${name}`,
    );
  }
  // A body that sets `additionalProperties` itself (false, or a schema) keeps it.
  for (const name of requestBodySchemas(bundle as Json)) schemas[name]!.additionalProperties ??= true;
  return bundle;
}
