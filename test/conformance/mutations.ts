// Schema-driven single-field mutations of a valid request (no field names hard-coded: read from the request schema).
import { contract, requestSchema } from "../support/conformance";
import { deref as derefIn } from "../support/spec";
import type { OperationSpec } from "../../src/conformance/index";
import { escapeToken } from "../../src/spec/pointer";

type S = Record<string, any>;
export interface Mutation {
  kind: "out_of_range" | "wrong_type" | "removed_required" | "bad_enum" | "bad_tag";
  pointer: string;
  apply(body: Record<string, any>): Record<string, any>;
}

const deref = (s: any): S => (derefIn(s, contract.spec) ?? {}) as S;
function types(s: S): string[] | undefined {
  return typeof s.type === "string" ? [s.type] : Array.isArray(s.type) ? s.type : undefined;
}
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** Candidate mutations for the request schema of `op` (top-level fields, plus the tag of discriminated array items). */
export function mutationsFor(op: OperationSpec): Mutation[] {
  const root = requestSchema(op) as S;
  const out: Mutation[] = [];
  const required = new Set<string>(root.required ?? []);
  for (const [name, p0] of Object.entries<any>(root.properties ?? {})) {
    const p = deref(p0);
    const ptr = `/${escapeToken(name)}`;
    const set = (value: unknown) => (b: S) => ({ ...clone(b), [name]: value });
    if (required.has(name))
      out.push({
        kind: "removed_required",
        pointer: ptr,
        apply: (b) => {
          const c = clone(b);
          delete c[name];
          return c;
        },
      });
    const t = types(p);
    const composite = p.oneOf || p.anyOf || p.allOf;
    // A nullable enum in the bundle's form: anyOf [{enum: [...]}, {type: "null"}].
    const nullableEnum =
      Array.isArray(p.anyOf) && p.anyOf.length === 2 && p.anyOf.some((b: S) => b.type === "null")
        ? p.anyOf.find((b: S) => Array.isArray(b.enum))
        : undefined;
    if (nullableEnum?.enum.every((x: unknown) => typeof x === "string")) {
      out.push({ kind: "bad_enum", pointer: ptr, apply: set("zz-not-a-documented-value") });
    }
    if (t && !composite) {
      if (typeof p.maximum === "number") out.push({ kind: "out_of_range", pointer: ptr, apply: set(p.maximum + 1) });
      if (typeof p.exclusiveMaximum === "number")
        out.push({ kind: "out_of_range", pointer: ptr, apply: set(p.exclusiveMaximum) });
      if (typeof p.minimum === "number") out.push({ kind: "out_of_range", pointer: ptr, apply: set(p.minimum - 1) });
      if (typeof p.exclusiveMinimum === "number")
        out.push({ kind: "out_of_range", pointer: ptr, apply: set(p.exclusiveMinimum) });
      const wrong = !t.includes("object") ? { wrong: true } : !t.includes("array") ? [1] : undefined;
      if (wrong !== undefined) out.push({ kind: "wrong_type", pointer: ptr, apply: set(wrong) });
      if (Array.isArray(p.enum) && p.enum.every((x: unknown) => typeof x === "string" || x === null))
        out.push({ kind: "bad_enum", pointer: ptr, apply: set("zz-not-a-documented-value") });
    }
    // Arrays of discriminated unions: an undocumented tag value on the first item.
    if (t?.includes("array") && p.items) {
      const it = deref(p.items);
      const tag = it.discriminator?.propertyName;
      if (tag && it.oneOf) {
        out.push({
          kind: "bad_tag",
          pointer: `${ptr}/0/${tag}`,
          apply: (b) => {
            const c = clone(b);
            if (
              !Array.isArray(c[name]) ||
              c[name].length === 0 ||
              typeof c[name][0] !== "object" ||
              c[name][0] === null
            )
              return c;
            c[name][0][tag] = "zz-not-a-documented-tag";
            return c;
          },
        });
      }
    }
  }
  return out;
}
