// Hostile input for the conformance library: many violations in one payload, hostile specs, message shape.
import { describe, expect, it } from "vitest";
import {
  Contract,
  createClientValidator,
  ERROR_LIMIT,
  loadContract,
  MAX_VIOLATIONS,
  validateRequest,
} from "../../src/conformance/index";
import { riskyPatterns } from "../../src/conformance/guards";
import { tinySpec } from "../support/tiny-spec";

const manyBad = (n: number) => ({ model: "openai/gpt-4o", messages: Array.from({ length: n }, () => ({})) });

/** Fastest of a few runs: the machine is shared, the minimum is the least noisy estimate. */
function fastest(f: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

describe("many violations in one payload", () => {
  it("validateRequest reports at most MAX_VIOLATIONS, then one violations_capped finding counting the rest", () => {
    const vs = validateRequest("createChatCompletion", manyBad(5000));
    expect(vs).toHaveLength(MAX_VIOLATIONS + 1);
    const last = vs.at(-1)!;
    expect(last).toMatchObject({
      check: "violations_capped",
      severity: "error",
      actual: `${5000 - MAX_VIOLATIONS} more`,
    });
    expect(last.message).toContain(`${5000 - MAX_VIOLATIONS} more schema errors not listed`);
    // The ones listed are the first items, each naming the missing tag.
    expect(vs[0]).toMatchObject({ instancePath: "/messages/0/role", expected: "present" });
    expect(vs[MAX_VIOLATIONS - 1]!.instancePath).toBe(`/messages/${MAX_VIOLATIONS - 1}/role`);
  });

  it("the cap is configurable per contract", () => {
    const c = loadContract(undefined, { maxViolations: 3 });
    const vs = validateRequest("createChatCompletion", manyBad(10), { contract: c });
    expect(vs.map((v) => v.check)).toEqual([
      "request_body_schema",
      "request_body_schema",
      "request_body_schema",
      "violations_capped",
    ]);
    expect(() => loadContract(undefined, { maxViolations: 0 })).toThrow(/maxViolations/);
  });

  it("past the error limit the walk stops: the count is a lower bound, the verdict stays exact", () => {
    const vs = validateRequest("createChatCompletion", manyBad(50_000));
    expect(vs).toHaveLength(MAX_VIOLATIONS + 1);
    expect(vs.at(-1)).toMatchObject({
      check: "violations_capped",
      actual: `at least ${ERROR_LIMIT - MAX_VIOLATIONS} more`,
    });
    // A long valid token array fails the string[] branch of `prompt` thousands of times before matching integer[]:
    // the stopped walk must not turn that into a rejection.
    const prompt = Array.from({ length: 3 * ERROR_LIMIT }, (_, i) => i);
    expect(validateRequest("createCompletion", { model: "m", prompt })).toEqual([]);
    const bad = validateRequest("createCompletion", { model: "m", prompt: [...prompt, "x"] });
    expect(bad[0]).toMatchObject({ instancePath: `/prompt/${3 * ERROR_LIMIT}` });
  });

  it("time grows at most linearly with the number of bad items (4x items must not cost 16x)", () => {
    validateRequest("createChatCompletion", manyBad(100)); // compile
    const small = fastest(() => validateRequest("createChatCompletion", manyBad(8000)));
    const large = fastest(() => validateRequest("createChatCompletion", manyBad(32000)));
    // Linear: about 4x. Quadratic (Ajv's error concatenation, per-union filtering): 16x and more.
    expect(large / Math.max(small, 1)).toBeLessThan(9);
  });

  it("oneOf narrowing stays linear when every item fails inside a union branch", () => {
    // Each message picks its branch (role: user) but has a bad content part: narrowing runs per item.
    const bad = (n: number) => ({
      model: "m",
      messages: Array.from({ length: n }, () => ({ role: "user", content: [{ type: "image_url", image_url: 5 }] })),
    });
    validateRequest("createChatCompletion", bad(10));
    const vs = validateRequest("createChatCompletion", bad(3000));
    expect(vs.length).toBe(MAX_VIOLATIONS + 1);
    expect(vs[0]!.instancePath).toMatch(/^\/messages\/0\/content\/0/);
    const small = fastest(() => validateRequest("createChatCompletion", bad(2000)));
    const large = fastest(() => validateRequest("createChatCompletion", bad(8000)));
    expect(large / Math.max(small, 1)).toBeLessThan(9);
  });

  it("the client's strict validator gets the same bounded answer", () => {
    const v = createClientValidator();
    const vs = v.validateRequest("createChatCompletion", manyBad(20000));
    expect(vs.length).toBe(MAX_VIOLATIONS + 1);
    expect(vs.at(-1)!.check).toBe("violations_capped");
  });
});

describe("messages say what is wrong; the pointer is in instancePath only", () => {
  it("no pointer repeated in the message", () => {
    const [t] = validateRequest("createCompletion", { model: "m", prompt: "p", temperature: 2.5 });
    expect(t).toMatchObject({ instancePath: "/temperature", message: "must be <= 2" });
    const [r] = validateRequest("createChatCompletion", { model: "m", messages: [{ role: "user" }] });
    expect(r!.message.startsWith("/")).toBe(false);
  });
});

const specWith = (schemas: Record<string, unknown>) =>
  tinySpec({ requestSchema: { $ref: "#/components/schemas/S0" }, schemas });

describe("hostile specs", () => {
  it("a $ref cycle is a clear error, not a stack overflow", () => {
    const c = new Contract(
      specWith({ S0: { $ref: "#/components/schemas/S1" }, S1: { $ref: "#/components/schemas/S0" } }),
    );
    expect(() => validateRequest("x", {}, { contract: c })).toThrow(
      /\$ref cycle: #\/components\/schemas\/S0 -> #\/components\/schemas\/S1 -> #\/components\/schemas\/S0/,
    );
  });

  it("a 10k-long $ref chain is refused with its length limit", () => {
    const schemas: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) schemas[`S${i}`] = { $ref: `#/components/schemas/S${i + 1}` };
    schemas.S10000 = { type: "object" };
    const c = new Contract(specWith(schemas));
    expect(() => validateRequest("x", {}, { contract: c })).toThrow(/\$ref chain longer than 64 links/);
  });

  it("the bundled spec has no nested-quantifier pattern (the CLI warns about those in a user's --spec)", () => {
    expect(riskyPatterns(loadContract().spec)).toEqual([]);
    expect(riskyPatterns({ a: { pattern: "^(a+)+$" } })).toEqual([{ pointer: "#/a/pattern", pattern: "^(a+)+$" }]);
  });

  it("a legitimately recursive schema still validates", () => {
    const c = new Contract(
      specWith({
        S0: { type: "object", properties: { child: { $ref: "#/components/schemas/S0" }, n: { type: "integer" } } },
      }),
    );
    expect(validateRequest("x", { child: { child: { n: 1 } } }, { contract: c })).toEqual([]);
    expect(validateRequest("x", { child: { child: { n: "one" } } }, { contract: c })[0]).toMatchObject({
      instancePath: "/child/child/n",
    });
  });
});
