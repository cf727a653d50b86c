// The open-enum shape, read one way by the generated types (scripts/generate.ts) and the closed copy of the
// conformance library (src/conformance/closed.ts).
import { describe, expect, it } from "vitest";
import { isBareString, isOpenEnum, localRefs, openEnum } from "../../src/spec/schema-shapes";

const known = { type: "string", enum: ["a", "b"] };

describe("openEnum", () => {
  it("finds the known-values branch and the catch-all, with or without a null branch", () => {
    const found = { known: 0, values: ["a", "b"], catchAll: [1], nullable: false };
    expect(openEnum({ anyOf: [known, { type: "string" }] })).toEqual(found);
    const nullable = { anyOf: [{ type: "null" }, { type: "string", description: "other" }, known] };
    expect(openEnum(nullable)).toEqual({ known: 2, values: ["a", "b"], catchAll: [1], nullable: true });
  });

  it("reads known values named as a component (the bundle's `…Known`) through the resolver", () => {
    const doc = { components: { schemas: { XKnown: known, Other: { type: "string" } } } };
    const open = { anyOf: [{ $ref: "#/components/schemas/XKnown" }, { type: "string" }] };
    expect(openEnum(open, localRefs(doc))).toEqual({
      known: 0,
      values: ["a", "b"],
      knownRef: "#/components/schemas/XKnown",
      catchAll: [1],
      nullable: false,
    });
    // Without a resolver, or when the ref is not a string enum, it is not an open enum.
    expect(openEnum(open)).toBeUndefined();
    const other = { anyOf: [{ $ref: "#/components/schemas/Other" }, { type: "string" }] };
    expect(openEnum(other, localRefs(doc))).toBeUndefined();
  });

  it("a catch-all may carry annotations only", () => {
    expect(isBareString({ type: "string", title: "t", deprecated: true, example: "x", examples: ["x"] })).toBe(true);
    expect(isBareString({ type: "string", minLength: 1 })).toBe(false);
    expect(isOpenEnum({ anyOf: [known, { type: "string", pattern: "^x" }] })).toBe(false);
  });

  it("is not an enum without a catch-all, nor a union with other branches", () => {
    expect(openEnum({ anyOf: [known, { type: "null" }] })).toBeUndefined();
    expect(openEnum({ anyOf: [known, { type: "string" }, { type: "integer" }] })).toBeUndefined();
    expect(openEnum({ anyOf: [{ type: "string" }, { type: "string" }] })).toBeUndefined();
    expect(openEnum({ oneOf: [known, { type: "string" }] })).toBeUndefined();
    expect(openEnum(null)).toBeUndefined();
  });
});
