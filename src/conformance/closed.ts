/**
 * The closed copy of a spec, for the undocumented-field pass: object schemas reject properties they do not list, and
 * open enums reject values outside their known list (so a new value can be reported, not only accepted).
 */
import { escapeToken } from "../spec/pointer";
import { localRefs, mapSubschemas, openEnum } from "../spec/schema-shapes";

type Json = Record<string, unknown>;

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
export function closeObjects(doc: Json): { doc: Json; fallbacks: Map<string, string>; known: Set<string> } {
  const fallbacks = new Map<string, string>();
  const known = new Set<string>();
  const allOfMembers = new Set<string>();
  const findAllOf = (v: unknown) => {
    if (!v || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach(findAllOf);
    const o = v as Json;
    if (Array.isArray(o.allOf)) {
      for (const m of o.allOf) {
        const ref = m && typeof m === "object" ? (m as Json).$ref : undefined;
        if (typeof ref === "string") allOfMembers.add(ref);
      }
    }
    for (const x of Object.values(o)) findAllOf(x);
  };
  const resolve = localRefs(doc);
  findAllOf(doc.components);
  findAllOf(doc.paths);
  const closeSchema = (v: unknown, ptr: string, inAllOf: boolean): unknown => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    const o: Json = { ...(v as Json) };
    for (const [k, x] of Object.entries(o))
      o[k] = mapSubschemas(k, x, `${ptr}/${k}`, (s, p) => closeSchema(s, p, k === "allOf"));
    const open = openEnum(o, resolve);
    if (open) {
      // The known values are inline, or (in the bundle) the named `…Known` component the branch refs.
      const knownAt = open.knownRef ? open.knownRef.slice(1) : `${ptr}/anyOf/${open.known}`;
      known.add(knownAt);
      o.anyOf = (o.anyOf as Json[]).map((b, i) => {
        if (!open.catchAll.includes(i)) return b;
        fallbacks.set(`${ptr}/anyOf/${i}`, knownAt);
        const { type: _t, ...notes } = b;
        return { ...notes, not: {} };
      });
    }
    const not = o.not as Json | undefined;
    if (o.type === "string" && not && Array.isArray(not.enum) && Object.keys(not).length === 1) {
      // Keeps `not` (a documented value must still take its own member) and adds the list: nothing matches, and an
      // unknown value fails only the `enum`, which is what gets reported.
      known.add(ptr);
      return { ...o, enum: not.enum };
    }
    const isObject = o.properties && typeof o.properties === "object";
    const declared = o.additionalProperties !== undefined || o.unevaluatedProperties !== undefined;
    if (isObject && !inAllOf && !allOfMembers.has(`#${ptr}`) && !declared && typeof o.$ref !== "string") {
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
      for (const [n, x] of Object.entries(schemas)) {
        s[n] = closeSchema(x, `/components/schemas/${escapeToken(n)}`, false);
      }
      c.schemas = s;
    }
    out.components = c;
  }
  // Inline schemas under paths: close media-type schemas.
  const closePaths = (v: unknown, ptr: string): unknown => {
    if (!v || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x, i) => closePaths(x, `${ptr}/${i}`));
    const o: Json = {};
    for (const [k, x] of Object.entries(v as Json)) {
      if ((k === "schema" || k === "itemSchema") && x && typeof x === "object") {
        o[k] = closeSchema(x, `${ptr}/${k}`, false);
      } else if (k === "examples" || k === "example") o[k] = x;
      else o[k] = closePaths(x, `${ptr}/${escapeToken(k)}`);
    }
    return o;
  };
  out.paths = closePaths(doc.paths, "/paths");
  return { doc: out, fallbacks, known };
}
