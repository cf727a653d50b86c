// The request fields both operations accept are written once, in openapi/shared/request-properties.yaml, and the
// two request schemas point at them (`$ref: .../request-properties.yaml#/temperature`). Redocly's bundler hoists
// every such target into `components/schemas` under its last pointer segment, so `temperature` would become a named
// schema and every generator would emit a `Temperature` type. This puts each definition back where it is used, so
// both request schemas stay flat, field by field as if written out in each (a field that is only a `$ref` to a named
// schema is already collapsed by Redocly and needs nothing).

type Json = Record<string, unknown>;

const POINTER = "#/components/schemas/";

/**
 * Inlines, in place, the components that Redocly hoisted from the shared property file: `shared` is that file parsed
 * (field name -> schema). Each `{$ref: "#/components/schemas/<field>"}` becomes a copy of the definition and the
 * component is removed. Returns `bundle`.
 */
export function inlineSharedProperties<T extends object>(bundle: T, shared: Json): T {
  const schemas: Json = (bundle as { components?: { schemas?: Json } }).components?.schemas ?? {};
  const hoisted = new Map<string, unknown>();
  for (const name of Object.keys(shared)) {
    if (!Object.hasOwn(schemas, name)) continue;
    hoisted.set(POINTER + name, schemas[name]);
    delete schemas[name];
  }
  const visit = (node: unknown, path: string): unknown => {
    if (!node || typeof node !== "object") return node;
    if (Array.isArray(node)) return node.map((x, i) => visit(x, `${path}/${i}`));
    const obj = node as Json;
    const ref = obj.$ref;
    if (typeof ref === "string" && hoisted.has(ref)) {
      // A sibling of the $ref would have to be merged into the copy; the shared file is the one place to say it.
      if (Object.keys(obj).length !== 1) throw new Error(`${path}: $ref to shared property ${ref} has siblings`);
      return visit(structuredClone(hoisted.get(ref)), path);
    }
    for (const [k, v] of Object.entries(obj)) obj[k] = visit(v, `${path}/${k}`);
    return obj;
  };
  visit(bundle, "#");
  return bundle;
}
