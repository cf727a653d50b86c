/**
 * Direction-aware breaking-change detection between two bundled OpenAPI 3.1 documents.
 * Requests break when they tighten (callers send what is no longer accepted); responses break when they loosen
 * (readers receive what they were not built for). Pure: JSON in, changes out.
 */
import { indexOperations, openApiDocument, type MediaSpec, type OperationSpec } from "../spec/operations";
import { escapeToken, getAt } from "../spec/pointer";
import { resolveRef } from "../spec/ref";

export { type DiffTextOptions, formatDiffText } from "./diff-report";

export type Level = "ERR" | "WARN" | "INFO";

export interface Change {
  /** Stable rule id, e.g. `request_enum_value_removed`. */
  id: string;
  level: Level;
  /** "POST /chat/completions" ("*" for document-level changes). */
  operation: string;
  /** Where: `request.body[application/json]/properties/model`, `responses.200[text/event-stream].chunk/...`. */
  location: string;
  message: string;
  before?: unknown;
  after?: unknown;
  /** Reason from the allow-list, when an entry covers this change. */
  allowed?: string;
}

export interface AllowEntry {
  method: string;
  path: string;
  rule: string;
  location?: string;
  reason: string;
  line: number;
}

export interface DiffOptions {
  allow?: AllowEntry[];
}

export interface DiffResult {
  changes: Change[];
  summary: { ERR: number; WARN: number; INFO: number; allowed: number };
}

/** Every rule id with its default level (documentation and tests). */
export const DIFF_RULES: Record<string, Level> = {
  operation_removed: "ERR",
  operation_added: "INFO",
  operation_id_changed: "ERR",
  security_added: "ERR",
  request_parameter_required_added: "ERR",
  request_parameter_removed: "INFO",
  request_body_became_required: "ERR",
  media_type_removed: "ERR",
  media_type_added: "INFO",
  success_status_removed: "ERR",
  response_status_removed: "WARN",
  response_status_added: "WARN",
  response_header_removed: "WARN",
  request_required_added: "ERR",
  request_required_removed: "INFO",
  request_property_added: "INFO",
  request_property_removed: "INFO",
  request_property_removed_closed: "ERR",
  request_type_narrowed: "ERR",
  request_type_widened: "INFO",
  request_enum_value_removed: "ERR",
  request_enum_value_added: "INFO",
  request_enum_added: "ERR",
  request_max_decreased: "ERR",
  request_min_increased: "ERR",
  request_pattern_changed: "ERR",
  request_const_changed: "ERR",
  request_additional_properties_closed: "ERR",
  request_branch_removed: "ERR",
  request_branch_added: "INFO",
  request_composition_changed: "WARN",
  response_property_removed: "ERR",
  response_property_added: "INFO",
  response_required_removed: "ERR",
  response_required_added: "INFO",
  response_type_widened: "ERR",
  response_type_narrowed: "INFO",
  response_const_changed: "ERR",
  response_enum_value_added: "WARN",
  response_enum_value_removed: "INFO",
  response_enum_removed: "ERR",
  response_bounds_loosened: "WARN",
  response_additional_properties_opened: "WARN",
  response_branch_added: "WARN",
  response_branch_removed: "INFO",
  response_composition_changed: "WARN",
  sse_terminator_changed: "ERR",
  sse_chunk_schema_removed: "ERR",
  discriminator_mapping_changed: "WARN",
  discriminator_property_changed: "ERR",
};

type J = Record<string, unknown>;
type Dir = "request" | "response";

interface Ctx {
  base: J;
  head: J;
  op: string;
  out: Change[];
  visited: Set<string>;
  /** Downgrade ERR to WARN (error responses: "the error schema changed" is WARN). */
  soft: boolean;
}

function add(ctx: Ctx, id: string, location: string, message: string, before?: unknown, after?: unknown) {
  let level = DIFF_RULES[id] ?? "WARN";
  if (ctx.soft && level === "ERR") level = "WARN";
  const c: Change = { id, level, operation: ctx.op, location, message };
  if (before !== undefined) c.before = before;
  if (after !== undefined) c.after = after;
  ctx.out.push(c);
}

/** A schema with its `$ref`s followed (keywords beside a `$ref` kept); boolean schemas as objects (`false` → `not`). */
function deref(doc: J, s: unknown): { s: J; ref?: string } {
  const { node, ref } = resolveRef(doc, s, "", { mergeSiblings: true });
  const at = ref ? { ref } : {};
  if (node === false) return { s: { not: {} }, ...at };
  if (!node || typeof node !== "object") return { s: {}, ...at };
  return { s: node as J, ...at };
}

/**
 * One spelling for equivalent schemas, so a rewrite that accepts the same values is no change: `const: x` with
 * `enum: [x]` is `const: x`, and `anyOf: [{type: T, enum: E}, {type: "null"}]` is
 * `type: [T, "null"], enum: [...E, null]`.
 */
function canonical(s: J): J {
  let out = s;
  if ("const" in out && Array.isArray(out.enum) && out.enum.length === 1 && j(out.enum[0]) === j(out.const)) {
    const { enum: _e, ...rest } = out;
    out = rest;
  }
  const any = out.anyOf;
  if (Array.isArray(any) && any.length === 2 && out.type === undefined && out.enum === undefined && !out.oneOf) {
    const nul = any.findIndex(
      (x) => x && typeof x === "object" && Object.keys(x).length === 1 && (x as J).type === "null",
    );
    const other = any[1 - nul] as J | undefined;
    if (nul >= 0 && other && Array.isArray(other.enum) && other.type !== undefined && other.$ref === undefined) {
      const { anyOf: _a, ...rest } = out;
      const types = Array.isArray(other.type) ? other.type : [other.type];
      out = { ...other, ...rest, type: [...types, "null"], enum: [...other.enum, null] };
    }
  }
  return out;
}

function typesOf(s: J): Set<string> | undefined {
  if (typeof s.type === "string") return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type.map(String));
  if ("const" in s)
    return new Set([
      s.const === null
        ? "null"
        : Array.isArray(s.const)
          ? "array"
          : Number.isInteger(s.const)
            ? "integer"
            : typeof s.const,
    ]);
  return undefined;
}

function covers(types: Set<string>, t: string): boolean {
  return types.has(t) || (t === "integer" && types.has("number"));
}

const refName = (r?: string) => (r ? r.split("/").pop()! : undefined);
const j = (v: unknown) => JSON.stringify(v);

function branchKey(doc: J, b: unknown, i: number, tag?: string): string {
  const { s, ref } = deref(doc, b);
  if (ref) return `ref:${refName(ref)}`;
  if (tag) {
    const p = (s.properties as J | undefined)?.[tag];
    const ps = p ? deref(doc, p).s : undefined;
    if (ps && "const" in ps) return `tag:${j(ps.const)}`;
    if (ps && Array.isArray(ps.enum) && ps.enum.length === 1) return `tag:${j(ps.enum[0])}`;
  }
  const t = typesOf(s);
  if (t && t.size === 1 && !s.properties && !s.items) return `type:${[...t][0]}`;
  if (t && t.size === 1 && s.items) return "type:array";
  return `idx:${i}`;
}

/** Disambiguate repeated keys (e.g. several array branches): the second becomes `type:array#2`. */
function uniqueKeys(keys: string[]): string[] {
  const n = new Map<string, number>();
  return keys.map((k) => {
    const c = (n.get(k) ?? 0) + 1;
    n.set(k, c);
    return c === 1 ? k : `${k}#${c}`;
  });
}

function isNullBranch(doc: J, b: unknown): boolean {
  const { s } = deref(doc, b);
  const t = typesOf(s);
  return !!t && t.size === 1 && t.has("null");
}

/** One schema pair being compared: the base side, the head side, where, and in which direction. */
interface Pair {
  ctx: Ctx;
  b: J;
  h: J;
  req: boolean;
  dir: Dir;
  loc: string;
  depth: number;
}

/**
 * Compares a base and a head schema at `loc`, one keyword family at a time (the order is the order changes are
 * reported in): type, const, enum, bounds and pattern, object properties, the subschemas, discriminator, unions.
 */
function compareSchema(ctx: Ctx, b0: unknown, h0: unknown, dir: Dir, loc: string, depth = 0): void {
  if (depth > 64) return;
  const { s: b1, ref: br } = deref(ctx.base, b0);
  const { s: h1, ref: hr } = deref(ctx.head, h0);
  const key = `${dir}|${ctx.soft}|${br ?? loc}|${hr ?? loc}`;
  if (br && hr) {
    if (ctx.visited.has(key)) return;
    ctx.visited.add(key);
  }
  const p: Pair = { ctx, b: canonical(b1), h: canonical(h1), req: dir === "request", dir, loc, depth };
  compareTypes(p);
  compareConst(p);
  compareEnum(p);
  compareBounds(p);
  comparePattern(p);
  compareProperties(p);
  compareSubschemas(p);
  compareDiscriminator(p);
  for (const kw of ["oneOf", "anyOf"] as const) compareUnion(p, kw);
  compareAllOf(p);
}

/** Recurse into a subschema pair one level down. */
const descend = (p: Pair, b: unknown, h: unknown, loc: string) => compareSchema(p.ctx, b, h, p.dir, loc, p.depth + 1);

function compareTypes({ ctx, b, h, req, loc }: Pair): void {
  const bt = typesOf(b);
  const ht = typesOf(h);
  if (bt && ht) {
    const removed = [...bt].filter((t) => !covers(ht, t));
    const added = [...ht].filter((t) => !covers(bt, t));
    if (removed.length) {
      if (req)
        add(
          ctx,
          "request_type_narrowed",
          loc,
          `type narrowed: ${removed.join(", ")} no longer accepted${removed.includes("null") ? " (null removed)" : ""}`,
          [...bt],
          [...ht],
        );
      else
        add(
          ctx,
          "response_type_narrowed",
          loc,
          `type narrowed: ${removed.join(", ")} no longer returned`,
          [...bt],
          [...ht],
        );
    }
    if (added.length) {
      if (req)
        add(ctx, "request_type_widened", loc, `type widened: ${added.join(", ")} now accepted`, [...bt], [...ht]);
      else
        add(
          ctx,
          "response_type_widened",
          loc,
          `type widened: ${added.join(", ")} may now be returned${added.includes("null") ? " (null added)" : ""}`,
          [...bt],
          [...ht],
        );
    }
  } else if (!bt && ht && !("const" in h)) {
    if (req) add(ctx, "request_type_narrowed", loc, `type constrained to ${[...ht].join(", ")}`, undefined, [...ht]);
    else add(ctx, "response_type_narrowed", loc, `type constrained to ${[...ht].join(", ")}`, undefined, [...ht]);
  } else if (bt && !ht && !("const" in b) && !h.oneOf && !h.anyOf && !h.allOf) {
    if (req) add(ctx, "request_type_widened", loc, `type constraint ${[...bt].join(", ")} removed`, [...bt]);
    else
      add(
        ctx,
        "response_type_widened",
        loc,
        `type constraint ${[...bt].join(", ")} removed: any type may be returned`,
        [...bt],
      );
  }
}

function compareConst({ ctx, b, h, req, loc }: Pair): void {
  if (!("const" in b || "const" in h)) return;
  if ("const" in b && "const" in h) {
    if (j(b.const) !== j(h.const))
      add(
        ctx,
        req ? "request_const_changed" : "response_const_changed",
        loc,
        `const changed from ${j(b.const)} to ${j(h.const)}`,
        b.const,
        h.const,
      );
  } else if ("const" in h) {
    if (req) add(ctx, "request_const_changed", loc, `const ${j(h.const)} added`, undefined, h.const);
  } else if (!req)
    add(ctx, "response_const_changed", loc, `const ${j(b.const)} removed: other values may be returned`, b.const);
}

function compareEnum({ ctx, b, h, req, loc }: Pair): void {
  const be = Array.isArray(b.enum) ? b.enum : undefined;
  const he = Array.isArray(h.enum) ? h.enum : undefined;
  if (be && he) {
    const hs = new Set(he.map(j));
    const bs = new Set(be.map(j));
    for (const v of be)
      if (!hs.has(j(v)))
        add(
          ctx,
          req ? "request_enum_value_removed" : "response_enum_value_removed",
          loc,
          `enum value ${j(v)} removed`,
          v,
        );
    for (const v of he) {
      if (bs.has(j(v))) continue;
      if (req) add(ctx, "request_enum_value_added", loc, `enum value ${j(v)} added`, undefined, v);
      else if (h["x-extensible-enum"] === true || b["x-extensible-enum"] === true)
        ctx.out.push({
          id: "response_enum_value_added",
          level: "INFO",
          operation: ctx.op,
          location: loc,
          message: `enum value ${j(v)} added (x-extensible-enum)`,
          after: v,
        });
      else
        add(
          ctx,
          "response_enum_value_added",
          loc,
          `enum value ${j(v)} added: clients switching on this enum need a fallback`,
          undefined,
          v,
        );
    }
  } else if (!be && he) {
    if (req) add(ctx, "request_enum_added", loc, `enum ${j(he)} added: other values no longer accepted`, undefined, he);
  } else if (be && !he) {
    if (!req) add(ctx, "response_enum_removed", loc, `enum ${j(be)} removed: any value may be returned`, be);
  }
}

/** Upper bounds, then lower bounds: a tighter one breaks requests, a looser one is a WARN for responses. */
function compareBounds({ ctx, b, h, req, loc }: Pair): void {
  const num = (s: J, k: string) => (typeof s[k] === "number" ? (s[k] as number) : undefined);
  for (const k of ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"] as const) {
    const x = num(b, k);
    const y = num(h, k);
    if (y !== undefined && (x === undefined || y < x)) {
      if (req)
        add(
          ctx,
          "request_max_decreased",
          loc,
          `${k} ${x === undefined ? "added" : "decreased"}: ${x ?? "none"} → ${y}`,
          x,
          y,
        );
    } else if (x !== undefined && (y === undefined || y > x)) {
      if (!req)
        add(
          ctx,
          "response_bounds_loosened",
          loc,
          `${k} ${y === undefined ? "removed" : "increased"}: ${x} → ${y ?? "none"}`,
          x,
          y,
        );
    }
  }
  for (const k of ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"] as const) {
    const x = num(b, k);
    const y = num(h, k);
    if (y !== undefined && (x === undefined || y > x)) {
      if (req)
        add(
          ctx,
          "request_min_increased",
          loc,
          `${k} ${x === undefined ? "added" : "increased"}: ${x ?? "none"} → ${y}`,
          x,
          y,
        );
    } else if (x !== undefined && (y === undefined || y < x)) {
      if (!req)
        add(
          ctx,
          "response_bounds_loosened",
          loc,
          `${k} ${y === undefined ? "removed" : "decreased"}: ${x} → ${y ?? "none"}`,
          x,
          y,
        );
    }
  }
}

function comparePattern({ ctx, b, h, req, loc }: Pair): void {
  if (b.pattern === h.pattern) return;
  // A request pattern that appears or changes can refuse what was sent; a response pattern that goes or changes can
  // let through what readers relied on. `kept` is the side that has one, `other` the side that may not.
  const [rule, kept, other, verb] = req
    ? ["request_pattern_changed", h.pattern, b.pattern, "added"]
    : ["response_bounds_loosened", b.pattern, h.pattern, "removed"];
  if (kept === undefined) return;
  const message =
    other === undefined ? `pattern ${j(kept)} ${verb}` : `pattern changed from ${j(b.pattern)} to ${j(h.pattern)}`;
  add(ctx, rule, loc, message, b.pattern, h.pattern);
}

const propertiesOf = (s: J) => (s.properties ?? {}) as J;
const propertyLoc = (loc: string, n: string) => `${loc}/properties/${escapeToken(n)}`;

/** Properties removed and added, `required` changes, and `additionalProperties` closing or opening. */
function compareProperties({ ctx, b, h, req, loc }: Pair): void {
  const bp = propertiesOf(b);
  const hp = propertiesOf(h);
  const brq = new Set(Array.isArray(b.required) ? (b.required as string[]) : []);
  const hrq = new Set(Array.isArray(h.required) ? (h.required as string[]) : []);
  const pl = (n: string) => propertyLoc(loc, n);
  for (const n of Object.keys(bp)) {
    if (n in hp) continue;
    if (req) {
      if (h.additionalProperties === false || h.unevaluatedProperties === false)
        add(
          ctx,
          "request_property_removed_closed",
          pl(n),
          `property ${n} removed while additional properties are not allowed: callers sending it are rejected`,
        );
      else add(ctx, "request_property_removed", pl(n), `property ${n} removed`);
    } else add(ctx, "response_property_removed", pl(n), `property ${n} removed from the response`);
  }
  for (const n of Object.keys(hp)) {
    if (n in bp) continue;
    if (req) {
      if (!hrq.has(n)) add(ctx, "request_property_added", pl(n), `optional property ${n} added`);
    } else add(ctx, "response_property_added", pl(n), `property ${n} added to the response`);
  }
  for (const n of hrq)
    if (!brq.has(n))
      add(
        ctx,
        req ? "request_required_added" : "response_required_added",
        pl(n),
        req ? `property ${n} is now required` : `property ${n} is now always present`,
      );
  for (const n of brq) {
    if (hrq.has(n)) continue;
    if (req) add(ctx, "request_required_removed", pl(n), `property ${n} is no longer required`);
    else if (n in hp)
      add(
        ctx,
        "response_required_removed",
        pl(n),
        `property ${n} changed from required to optional: readers may not find it`,
      );
  }
  const bClosed = b.additionalProperties === false || b.unevaluatedProperties === false;
  const hClosed = h.additionalProperties === false || h.unevaluatedProperties === false;
  if (req && !bClosed && hClosed)
    add(
      ctx,
      "request_additional_properties_closed",
      loc,
      "additionalProperties changed to false: unknown fields are now rejected",
    );
  if (!req && bClosed && !hClosed)
    add(ctx, "response_additional_properties_opened", loc, "the response object may now carry undocumented properties");
}

/** The subschemas both sides have: properties, additionalProperties, items, prefixItems, contentSchema. */
function compareSubschemas(p: Pair): void {
  const { b, h, loc } = p;
  const bp = propertiesOf(b);
  const hp = propertiesOf(h);
  for (const n of Object.keys(bp)) if (n in hp) descend(p, bp[n], hp[n], propertyLoc(loc, n));
  if (
    b.additionalProperties &&
    typeof b.additionalProperties === "object" &&
    h.additionalProperties &&
    typeof h.additionalProperties === "object"
  )
    descend(p, b.additionalProperties, h.additionalProperties, `${loc}/additionalProperties`);
  if (b.items !== undefined && h.items !== undefined && typeof b.items === "object" && typeof h.items === "object")
    descend(p, b.items, h.items, `${loc}/items`);
  if (Array.isArray(b.prefixItems) && Array.isArray(h.prefixItems)) {
    for (let i = 0; i < Math.min(b.prefixItems.length, h.prefixItems.length); i++)
      descend(p, b.prefixItems[i], h.prefixItems[i], `${loc}/prefixItems/${i}`);
  }
  if (b.contentSchema !== undefined && h.contentSchema !== undefined)
    descend(p, b.contentSchema, h.contentSchema, `${loc}/contentSchema`);
}

function compareDiscriminator({ ctx, b, h, loc }: Pair): void {
  const bd = b.discriminator as J | undefined;
  const hd = h.discriminator as J | undefined;
  if (!bd || !hd) return;
  if (bd.propertyName !== hd.propertyName)
    add(
      ctx,
      "discriminator_property_changed",
      `${loc}/discriminator`,
      `discriminator property changed from ${j(bd.propertyName)} to ${j(hd.propertyName)}`,
      bd.propertyName,
      hd.propertyName,
    );
  if (j(bd.mapping ?? null) !== j(hd.mapping ?? null))
    add(
      ctx,
      "discriminator_mapping_changed",
      `${loc}/discriminator/mapping`,
      "discriminator mapping changed",
      bd.mapping,
      hd.mapping,
    );
}

/**
 * A `oneOf`/`anyOf` pair, branch by branch (branches matched by `$ref` name, discriminator tag or type): removed and
 * added branches are reported, matched ones compared.
 */
function compareUnion(p: Pair, kw: "oneOf" | "anyOf"): void {
  const { ctx, b, h, req, loc } = p;
  const bb = Array.isArray(b[kw]) ? (b[kw] as unknown[]) : undefined;
  const hb = Array.isArray(h[kw]) ? (h[kw] as unknown[]) : undefined;
  if (!bb && !hb) return;
  const bd = b.discriminator as J | undefined;
  const hd = h.discriminator as J | undefined;
  const tag = ((hd ?? bd)?.propertyName as string | undefined) ?? undefined;
  const bk = uniqueKeys((bb ?? []).map((x, i) => branchKey(ctx.base, x, i, tag)));
  const hk = uniqueKeys((hb ?? []).map((x, i) => branchKey(ctx.head, x, i, tag)));
  if (!bb || !hb) {
    // A schema became (or stopped being) a union: which values each side accepts cannot be decided rule by rule,
    // so say so at WARN instead of reporting only the property-level noise it leaves behind.
    const what = bb ? `${kw} replaced by a single schema` : `schema replaced by ${kw} of ${hb!.length} alternatives`;
    add(
      ctx,
      req ? "request_composition_changed" : "response_composition_changed",
      loc,
      `${what}: review which values are ${req ? "accepted" : "returned"} now`,
    );
    return;
  }
  bk.forEach((k, i) => {
    const at = hk.indexOf(k);
    const bl = `${loc}/${kw}[${k.replace(/^(ref|tag|type|idx):/, "")}]`;
    if (at < 0) {
      if (req) {
        if (isNullBranch(ctx.base, bb[i]))
          add(ctx, "request_type_narrowed", bl, "null no longer accepted (null branch removed)");
        else
          add(
            ctx,
            "request_branch_removed",
            bl,
            `${kw} alternative ${k.replace(/^\w+:/, "")} removed: callers sending it are rejected`,
          );
      } else add(ctx, "response_branch_removed", bl, `${kw} alternative ${k.replace(/^\w+:/, "")} removed`);
    } else descend(p, bb[i], hb[at], bl);
  });
  hk.forEach((k, i) => {
    if (bk.includes(k)) return;
    const bl = `${loc}/${kw}[${k.replace(/^(ref|tag|type|idx):/, "")}]`;
    if (req) add(ctx, "request_branch_added", bl, `${kw} alternative ${k.replace(/^\w+:/, "")} added`);
    else if (isNullBranch(ctx.head, hb[i]))
      add(ctx, "response_type_widened", bl, "null may now be returned (null branch added)");
    else
      add(
        ctx,
        "response_branch_added",
        bl,
        `${kw} alternative ${k.replace(/^\w+:/, "")} added: readers need a fallback`,
      );
  });
}

/** `allOf` parts both sides have (matched like union branches) are compared; parts are not reported added/removed. */
function compareAllOf(p: Pair): void {
  const { ctx, b, h, loc } = p;
  if (!Array.isArray(b.allOf) || !Array.isArray(h.allOf)) return;
  const bAll = b.allOf as unknown[];
  const hAll = h.allOf as unknown[];
  const bk = uniqueKeys(bAll.map((x, i) => branchKey(ctx.base, x, i)));
  const hk = uniqueKeys(hAll.map((x, i) => branchKey(ctx.head, x, i)));
  bk.forEach((k, i) => {
    const at = hk.indexOf(k);
    if (at >= 0) descend(p, bAll[i], hAll[at], `${loc}/allOf[${k.replace(/^\w+:/, "")}]`);
  });
}

function opKey(o: OperationSpec) {
  return `${o.method.toUpperCase()} ${o.path}`;
}

function effectiveSecurity(doc: J, opPtr: string): string[] {
  const op = getAt(doc, opPtr) as J | undefined;
  const sec = (Array.isArray(op?.security) ? op!.security : Array.isArray(doc.security) ? doc.security : []) as J[];
  if (sec.some((r) => Object.keys(r ?? {}).length === 0)) return [];
  return sec.map((r) => Object.keys(r).sort().join("+"));
}

function parameters(doc: J, opPtr: string): Map<string, { required: boolean; schema?: unknown }> {
  const out = new Map<string, { required: boolean; schema?: unknown }>();
  const opP = getAt(doc, opPtr) as J | undefined;
  const itemP = getAt(doc, opPtr.replace(/\/[a-z]+$/, "")) as J | undefined;
  for (const list of [itemP?.parameters, opP?.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const p0 of list) {
      const { s: p } = deref(doc, p0);
      if (typeof p.name !== "string" || typeof p.in !== "string") continue;
      const k = `${p.in}:${p.in === "header" ? p.name.toLowerCase() : p.name}`;
      out.set(k, { required: p.required === true, ...(p.schema !== undefined ? { schema: p.schema } : {}) });
    }
  }
  return out;
}

function schemaOf(doc: J, ptr: string | undefined): unknown {
  return ptr ? getAt(doc, ptr) : undefined;
}

function compareMedia(ctx: Ctx, bm: MediaSpec[], hm: MediaSpec[], dir: Dir, loc: string) {
  for (const m of bm) {
    const other = hm.find((x) => x.mediaType === m.mediaType);
    const ml = `${loc}[${m.mediaType}]`;
    if (!other) {
      add(
        ctx,
        "media_type_removed",
        ml,
        `${dir === "request" ? "request" : "response"} media type ${m.mediaType} removed`,
      );
      continue;
    }
    // Fresh cycle guard per media type, so a change in a shared component is reported at each media type using it.
    ctx = { ...ctx, visited: new Set<string>() };
    if (m.schemaPointer && other.schemaPointer)
      compareSchema(ctx, schemaOf(ctx.base, m.schemaPointer), schemaOf(ctx.head, other.schemaPointer), dir, ml, 0);
    if (m.kind === "sse") {
      if ((m.terminator ?? "[DONE]") !== (other.terminator ?? "[DONE]"))
        add(
          ctx,
          "sse_terminator_changed",
          ml,
          `SSE terminator changed from ${j(m.terminator)} to ${j(other.terminator)}`,
          m.terminator,
          other.terminator,
        );
      if (m.chunkPointer && !other.chunkPointer)
        add(ctx, "sse_chunk_schema_removed", ml, "the SSE chunk schema is no longer declared");
      // The chunk schema is reached through contentSchema when both use it; compare explicitly otherwise.
      if (
        m.chunkPointer &&
        other.chunkPointer &&
        !(m.chunkPointer.endsWith("/contentSchema") && other.chunkPointer.endsWith("/contentSchema"))
      ) {
        compareSchema(
          ctx,
          schemaOf(ctx.base, m.chunkPointer),
          schemaOf(ctx.head, other.chunkPointer),
          dir,
          `${ml}.chunk`,
          0,
        );
      }
    }
  }
  for (const m of hm)
    if (!bm.some((x) => x.mediaType === m.mediaType))
      add(ctx, "media_type_added", `${loc}[${m.mediaType}]`, `media type ${m.mediaType} added`);
}

/** Compare two bundled OpenAPI documents (refs kept or dereferenced). */
export function diffSpecs(baseDoc: unknown, headDoc: unknown, opts: DiffOptions = {}): DiffResult {
  const baseSpec = openApiDocument(baseDoc);
  const headSpec = openApiDocument(headDoc);
  const base = { spec: baseSpec, operations: indexOperations(baseSpec) };
  const head = { spec: headSpec, operations: indexOperations(headSpec) };
  const out: Change[] = [];
  const ctxFor = (op: string, soft = false): Ctx => ({
    base: base.spec,
    head: head.spec,
    op,
    out,
    visited: new Set(),
    soft,
  });
  for (const bo of base.operations) {
    const ho = head.operations.find((o) => o.method === bo.method && o.path === bo.path);
    const name = opKey(bo);
    const ctx = ctxFor(name);
    if (!ho) {
      add(ctx, "operation_removed", "", `operation ${name}${bo.operationId ? ` (${bo.operationId})` : ""} removed`);
      continue;
    }
    if (bo.operationId !== ho.operationId)
      add(
        ctx,
        "operation_id_changed",
        "operationId",
        `operationId changed from ${j(bo.operationId)} to ${j(ho.operationId)}: generated method names change`,
        bo.operationId,
        ho.operationId,
      );
    const bs = effectiveSecurity(base.spec, bo.pointer);
    const hs = effectiveSecurity(head.spec, ho.pointer);
    if (hs.length && (bs.length === 0 || (hs.some((x) => !bs.includes(x)) && !bs.some((x) => hs.includes(x)))))
      add(ctx, "security_added", "security", "a security requirement was added", bs, hs);
    const bp = parameters(base.spec, bo.pointer);
    const hp = parameters(head.spec, ho.pointer);
    for (const [k, p] of hp) {
      const old = bp.get(k);
      if (p.required && !old?.required)
        add(
          ctx,
          "request_parameter_required_added",
          `parameters.${k}`,
          `parameter ${k} is ${old ? "now" : "new and"} required`,
        );
      if (old && old.schema !== undefined && p.schema !== undefined)
        compareSchema(ctx, old.schema, p.schema, "request", `parameters.${k}`);
    }
    for (const k of bp.keys())
      if (!hp.has(k)) add(ctx, "request_parameter_removed", `parameters.${k}`, `parameter ${k} removed`);
    if (bo.request && ho.request) {
      if (!bo.request.required && ho.request.required)
        add(ctx, "request_body_became_required", "request.body", "the request body is now required");
      compareMedia(ctx, bo.request.content, ho.request.content, "request", "request.body");
    } else if (!bo.request && ho.request?.required)
      add(ctx, "request_body_became_required", "request.body", "a required request body was added");
    for (const br of bo.responses) {
      const hr = ho.responses.find((r) => r.status === br.status);
      const rl = `responses.${br.status}`;
      if (!hr) {
        if (/^2/.test(br.status)) add(ctx, "success_status_removed", rl, `success response ${br.status} removed`);
        else add(ctx, "response_status_removed", rl, `response ${br.status} removed`);
        continue;
      }
      const rctx = /^2/.test(br.status) ? ctx : { ...ctx, soft: true, visited: new Set<string>() };
      compareMedia(rctx, br.content, hr.content, "response", rl);
      for (const h of br.headers)
        if (!hr.headers.some((x) => x.name === h.name))
          add(ctx, "response_header_removed", `${rl}.headers.${h.name}`, `response header ${h.name} removed`);
    }
    for (const hr of ho.responses)
      if (!bo.responses.some((r) => r.status === hr.status))
        add(
          ctx,
          "response_status_added",
          `responses.${hr.status}`,
          `new response status ${hr.status}: clients may not handle it`,
        );
  }
  for (const ho of head.operations) {
    if (!base.operations.some((o) => o.method === ho.method && o.path === ho.path))
      add(ctxFor(opKey(ho)), "operation_added", "", `operation ${opKey(ho)} added`);
  }
  // Dedupe (a shared component reached from several places is reported once per location).
  const seen = new Set<string>();
  const changes = out.filter((c) => {
    const k = `${c.operation}|${c.id}|${c.location}|${c.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  for (const c of changes) {
    const a = (opts.allow ?? []).find(
      (e) =>
        (e.rule === c.id || e.rule === "*") &&
        (e.method === "*" ||
          `${e.method.toUpperCase()} ${e.path}` === c.operation ||
          (e.path === "*" && c.operation.startsWith(`${e.method.toUpperCase()} `))) &&
        (!e.location || c.location.startsWith(e.location)),
    );
    if (a) c.allowed = a.reason;
  }
  const rank: Record<Level, number> = { ERR: 0, WARN: 1, INFO: 2 };
  changes.sort(
    (a, b) =>
      rank[a.level] - rank[b.level] ||
      (a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : 0) ||
      (a.location < b.location ? -1 : a.location > b.location ? 1 : 0) ||
      (a.id < b.id ? -1 : 1),
  );
  const summary = { ERR: 0, WARN: 0, INFO: 0, allowed: 0 };
  for (const c of changes) {
    if (c.allowed !== undefined) summary.allowed++;
    else summary[c.level]++;
  }
  return { changes, summary };
}

/**
 * Allow-list: one entry per line, `METHOD /path rule-id [location-prefix] -- reason`. `*` matches any method, path
 * or rule. Blank lines and `#` comments are ignored. A missing reason is an error.
 */
export function parseAllowList(text: string): AllowEntry[] {
  const out: AllowEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const sep = line.indexOf(" -- ");
    const reason = sep >= 0 ? line.slice(sep + 4).trim() : "";
    if (!reason) throw new Error(`allow-list line ${i + 1}: missing " -- reason"`);
    const parts = line.slice(0, sep).trim().split(/\s+/);
    if (parts.length < 3 || parts.length > 4)
      throw new Error(`allow-list line ${i + 1}: expected "METHOD /path rule-id [location] -- reason"`);
    const [method, path, rule, location] = parts as [string, string, string, string | undefined];
    if (rule !== "*" && !(rule in DIFF_RULES)) throw new Error(`allow-list line ${i + 1}: unknown rule ${rule}`);
    out.push({ method, path, rule, reason, line: i + 1, ...(location ? { location } : {}) });
  });
  return out;
}
