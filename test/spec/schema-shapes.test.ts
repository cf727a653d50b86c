// The open-enum shape, read one way by the generated types (scripts/generate.ts) and the closed copy of the
// conformance library (src/conformance/closed.ts).
import { describe, expect, it } from "vitest";
import { isBareString, isOpenEnum, openEnum } from "../../src/spec/schema-shapes";

const known = { type: "string", enum: ["a", "b"] };

describe("openEnum", () => {
  it("finds the known-values branch and the catch-all, with or without a null branch", () => {
    expect(openEnum({ anyOf: [known, { type: "string" }] })).toEqual({ known: 0, catchAll: [1], nullable: false });
    const nullable = { anyOf: [{ type: "null" }, { type: "string", description: "other" }, known] };
    expect(openEnum(nullable)).toEqual({ known: 2, catchAll: [1], nullable: true });
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
