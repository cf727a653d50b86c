// Explains why Prism rejected a request body, one violation per real problem.
//
// Prism (the validator) reports every failing branch of every oneOf: a `{"role": "user"}` message with a bad
// content part yields "/messages/0/role must be equal to constant" (from the other roles' branches) next to the real
// error, and past ~8 KB it truncates its `sl-violations` header ("Too many violations! [..."). So once Prism has
// said "invalid", the layer re-validates the body with Ajv (Prism's options, 2020-12, against the bundle) and, at each
// failing oneOf/anyOf, keeps only the branch the value was meant for: the one its discriminator names (an unknown tag
// becomes a single "must be one of ..." violation), or else the only branch whose JSON type matches. When this yields
// nothing, Prism's own list is used. Prism still decides validity, status and response.
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const SPEC_ID = "https://openrouter-contract.mock/openapi.json";
type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

export interface PrismLikeViolation {
  location: string[];
  severity: "Error";
  code: string;
  message: string;
}

export function escapePointer(s: string): string {
  return s.replace(/~/g, "~0").replace(/\//g, "~1");
}

function jsType(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "array";
  if (typeof x === "number") return Number.isInteger(x) ? "integer" : "number";
  return typeof x;
}

export function createExplainer(doc: Obj) {
  let ajv: InstanceType<typeof Ajv2020> | undefined;
  const byNode = new WeakMap<object, ValidateFunction | null>();
  const byKey = new Map<string, ValidateFunction | null>();

  const getAjv = () => {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true, allowMatchingProperties: true, strict: false, verbose: true, logger: false });
      (addFormats as unknown as (a: unknown) => void)(ajv);
      ajv.addSchema({ ...doc, $id: SPEC_ID });
    }
    return ajv;
  };

  const deref = (node: unknown, depth = 0): unknown => {
    if (!isObj(node) || typeof node.$ref !== "string" || !node.$ref.startsWith("#/") || depth > 20) return node;
    let cur: unknown = doc;
    for (const raw of node.$ref.slice(2).split("/")) {
      const seg = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      cur = isObj(cur) ? cur[seg] : Array.isArray(cur) ? cur[Number(seg)] : undefined;
    }
    return deref(cur, depth + 1);
  };

  /** Local refs ("#/components/...") made absolute so an inline sub-schema compiles on its own. */
  const absolutize = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(absolutize);
    if (!isObj(node)) return node;
    const out: Obj = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? SPEC_ID + v : absolutize(v);
    return out;
  };

  const compileNode = (node: unknown): ValidateFunction | null => {
    if (!isObj(node)) return null;
    const hit = byNode.get(node);
    if (hit !== undefined) return hit;
    let fn: ValidateFunction | null;
    try {
      fn = getAjv().compile(absolutize(node) as Obj);
    } catch {
      fn = null;
    }
    byNode.set(node, fn);
    return fn;
  };

  const typeMatches = (schema: unknown, value: unknown): boolean => {
    const s = deref(schema);
    if (!isObj(s)) return true;
    const t = jsType(value);
    const types = typeof s.type === "string" ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : undefined;
    if (types) return types.includes(t) || (t === "integer" && types.includes("number"));
    if ("const" in s) return jsType(s.const) === t || (t === "integer" && jsType(s.const) === "number");
    if (Array.isArray(s.enum)) return s.enum.some((e) => jsType(e) === t);
    if (isObj(s.properties) || Array.isArray(s.required)) return t === "object";
    if (s.items !== undefined || Array.isArray(s.prefixItems)) return t === "array";
    for (const k of ["oneOf", "anyOf"]) if (Array.isArray(s[k])) return (s[k] as unknown[]).some((b) => typeMatches(b, value));
    if (Array.isArray(s.allOf)) return (s.allOf as unknown[]).every((b) => typeMatches(b, value));
    return true;
  };

  const tagValues = (branch: unknown, prop: string, depth = 0): unknown[] => {
    const s = deref(branch);
    if (!isObj(s) || depth > 8) return [];
    const p = isObj(s.properties) ? deref(s.properties[prop]) : undefined;
    if (isObj(p) && "const" in p) return [p.const];
    if (isObj(p) && Array.isArray(p.enum)) return p.enum;
    return Array.isArray(s.allOf) ? (s.allOf as unknown[]).flatMap((b) => tagValues(b, prop, depth + 1)) : [];
  };

  type Pick = { branch: unknown } | { violation: ErrorObject } | undefined;

  const pickBranch = (e: ErrorObject): Pick => {
    const branches = Array.isArray(e.schema) ? (e.schema as unknown[]) : [];
    const parent = isObj(e.parentSchema) ? e.parentSchema : {};
    const data = e.data;
    const disc = isObj(parent.discriminator) && typeof parent.discriminator.propertyName === "string" ? parent.discriminator.propertyName : undefined;
    if (disc && isObj(data)) {
      const v = data[disc];
      const mapping = isObj(parent.discriminator) && isObj(parent.discriminator.mapping) ? parent.discriminator.mapping : {};
      const allowed = [...new Set(branches.flatMap((b) => tagValues(b, disc)).map((x) => JSON.stringify(x)))];
      if (v === undefined) {
        return { violation: { ...e, instancePath: `${e.instancePath}/${escapePointer(disc)}`, keyword: "required", params: {}, message: `is required (one of ${allowed.join(", ")})` } };
      }
      const target = typeof v === "string" ? mapping[v] : undefined;
      const found = branches.find((b) => (isObj(b) && typeof target === "string" && b.$ref === target) || tagValues(b, disc).some((x) => x === v));
      if (found !== undefined) return { branch: found };
      return { violation: { ...e, instancePath: `${e.instancePath}/${escapePointer(disc)}`, keyword: "discriminator", params: {}, message: `must be one of ${allowed.join(", ")}` } };
    }
    const candidates = branches.filter((b) => typeMatches(b, data));
    if (candidates.length === 1) return { branch: candidates[0] };
    if (candidates.length === 0) {
      // No branch takes this JSON type: one "must be <types>" instead of one error per branch.
      const types = branches.map(typeNames);
      if (types.every((t) => t.length > 0)) {
        const names = [...new Set(types.flat())];
        return { violation: { ...e, keyword: "type", params: {}, message: `must be ${names.join(" or ")}` } };
      }
      return undefined;
    }
    // Several object branches: a property every branch pins with const/enum acts as an implicit discriminator.
    if (isObj(data)) {
      const props = Object.keys(data).filter((k) => candidates.every((b) => tagValues(b, k).length > 0));
      for (const k of props) {
        const hits = candidates.filter((b) => tagValues(b, k).some((x) => x === data[k]));
        if (hits.length === 1) return { branch: hits[0] };
        if (hits.length === 0) {
          const allowed = [...new Set(candidates.flatMap((b) => tagValues(b, k)).map((x) => JSON.stringify(x)))];
          return { violation: { ...e, instancePath: `${e.instancePath}/${escapePointer(k)}`, keyword: "enum", params: {}, message: `must be one of ${allowed.join(", ")}` } };
        }
      }
    }
    return undefined;
  };

  const typeNames = (schema: unknown): string[] => {
    const s = deref(schema);
    if (!isObj(s)) return [];
    if (typeof s.type === "string") return [s.type];
    if (Array.isArray(s.type)) return s.type as string[];
    if ("const" in s) return [jsType(s.const)];
    if (isObj(s.properties)) return ["object"];
    if (s.items !== undefined) return ["array"];
    for (const k of ["oneOf", "anyOf"]) {
      if (Array.isArray(s[k])) {
        const inner = (s[k] as unknown[]).map(typeNames);
        return inner.every((t) => t.length > 0) ? inner.flat() : [];
      }
    }
    return [];
  };

  const under = (p: string, prefix: string) => p === prefix || p.startsWith(prefix + "/");

  const explainWith = (fn: ValidateFunction, data: unknown, depth: number): ErrorObject[] => {
    if (fn(data)) return [];
    const errors = [...(fn.errors ?? [])];
    const handled: string[] = [];
    const out: ErrorObject[] = [];
    const alternatives = errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf").sort((a, b) => a.instancePath.length - b.instancePath.length);
    for (const e of alternatives) {
      if (depth > 12 || handled.some((h) => under(e.instancePath, h))) continue;
      const pick = pickBranch(e);
      if (!pick) continue;
      if ("violation" in pick) {
        handled.push(e.instancePath);
        out.push(pick.violation);
        continue;
      }
      const sub = compileNode(pick.branch);
      if (!sub) continue;
      const inner = explainWith(sub, e.data, depth + 1);
      if (inner.length === 0) continue; // the branch alone accepts the value (e.g. several branches match): keep Ajv's errors
      handled.push(e.instancePath);
      for (const x of inner) out.push({ ...x, instancePath: e.instancePath + x.instancePath });
    }
    for (const e of errors) if (!handled.some((h) => under(e.instancePath, h))) out.push(e);
    return out;
  };

  /** Violations of `body` against the operation's request schema, in Prism's shape; undefined when unavailable. */
  return function explain(path: string, method: string, body: unknown): PrismLikeViolation[] | undefined {
    const key = `${method} ${path}`;
    let fn = byKey.get(key);
    if (fn === undefined) {
      try {
        fn = getAjv().compile({ $ref: `${SPEC_ID}#/paths/${escapePointer(path)}/${method}/requestBody/content/application~1json/schema` });
      } catch {
        fn = null;
      }
      byKey.set(key, fn);
    }
    if (!fn) return undefined;
    try {
      return explainWith(fn, body, 0).map(toPrismLike);
    } catch {
      return undefined;
    }
  };
}

/** Same text as prism-http's convertAjvErrors, so the normal conversion applies. */
function toPrismLike(e: ErrorObject): PrismLikeViolation {
  const params = (e.params ?? {}) as Record<string, unknown>;
  const allowed = Array.isArray(params.allowedValues) ? `: ${params.allowedValues.join(", ")}` : "";
  const extra = "additionalProperty" in params ? `; found '${String(params.additionalProperty)}'` : "";
  const missing = e.keyword === "required" && typeof params.missingProperty === "string" ? params.missingProperty : undefined;
  const segs = e.instancePath.split("/").filter((s) => s !== "");
  const src = `Request body ${segs.length ? `property ${segs.join(".")} ` : ""}`;
  const message = missing !== undefined ? `must have required property '${missing}'` : `${e.message ?? ""}${allowed}${extra}`;
  return { location: ["request", "body", ...segs], severity: "Error", code: e.keyword, message: `${src}${message}` };
}
