// Bundle-time rewrites that make the bundle read the same in every client generator, without changing what it
// accepts: each rewrite is equivalent JSON Schema. The source keeps the short authoring form (openapi/README.md);
// generate.ts applies this to the Redocly bundle before writing generated/.
//   1. `type: [T, 'null']` + `enum: [..., null]`  ->  `anyOf: [{type: T, enum: [...]}, {type: 'null'}]`
//      (several generators drop the null, type it as the string "null", or emit code that does not compile).
//   2. every string `const` also gets a one-value `enum` (discriminated unions built from `const` alone crash
//      some); a boolean `const` stays alone (orval's zod output writes `literal(true).literal(true)` for both).
//   3. `default` leaves component schemas and is stated in the description instead: generators that treat a
//      default as "always present" would otherwise make `stream` a required request property.
//   4. request bodies that accept unknown keys say `additionalProperties: true`, so generated request types
//      are open as the contract says.
//   5. the known values of every open enum (`anyOf: [{type: string, enum}, {type: string}]`, see
//      src/spec/schema-shapes.ts) move to a closed component `<Owner><Property…>Known` that the open enum refs:
//      generators type `A | B | string` as plain `string`, so the named component is the literal union to switch on.

import { openEnum, SUBSCHEMA_KEYWORDS } from "../src/spec/schema-shapes";

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
  if (typeof schema.const === "string" && !("enum" in schema)) schema.enum = [schema.const];
}

const pascal = (name: string) => name.replace(/(^|[_.-])([a-z0-9])/g, (_, _s, c: string) => c.toUpperCase());

/** The component name for the known values of the open enum at `path` (under component `owner`). */
export function knownName(owner: string, path: string): string {
  const props = [...path.matchAll(/\/properties\/([^/]+)/g)].map((m) => pascal(m[1]!));
  return `${owner}${props.join("")}Known`;
}

/** Rewrite 5: new components (name -> schema) for the known values, the open enums now ref them. */
function hoistKnownValues(owner: string, schema: Json, taken: Set<string>): [string, Json][] {
  const added: [string, Json][] = [];
  walk(
    schema,
    (s, path) => {
      const open = openEnum(s);
      if (!open) return;
      const branches = s.anyOf as Json[];
      const name = knownName(owner, path);
      if (taken.has(name)) throw new Error(`${path}: the known values' component name ${name} is taken`);
      taken.add(name);
      const where = path.replace(/^#\/components\/schemas\//, "").replace(/\/(properties|items)\b/g, "");
      const description =
        `The values of \`${where.replaceAll("/", ".")}\` known today, as a closed list to switch on; the field ` +
        "itself also accepts any other string (OpenRouter adds values).";
      added.push([name, { description, ...branches[open.known]! }]);
      branches[open.known] = { $ref: `#/components/schemas/${name}` };
    },
    `#/components/schemas/${owner}`,
  );
  return added;
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
  // Rewrite 5, with each new component right after its owner.
  const taken = new Set(Object.keys(schemas));
  for (const [name, schema] of Object.entries(schemas)) {
    const added = hoistKnownValues(name, schema, taken);
    if (!added.length) continue;
    const entries = Object.entries(schemas);
    const at = entries.findIndex(([n]) => n === name) + 1;
    for (const n of Object.keys(schemas)) delete schemas[n];
    for (const [n, v] of [...entries.slice(0, at), ...added, ...entries.slice(at)]) schemas[n] = v;
  }
  // A body that sets `additionalProperties` itself (false, or a schema) keeps it.
  for (const name of requestBodySchemas(bundle as Json)) schemas[name]!.additionalProperties ??= true;
  return bundle;
}
