import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateRequest } from "../../src/conformance/index";
import { generateRequest, ops } from "../support/conformance";
import { mutationsFor } from "./mutations";

// Positive/negative data, seeded and reproducible. Failing runs print the seed and path to replay.
const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 1000);

describe.each(ops().map((o) => [o.operationId!, o] as const))("%s request schema", (opId, op) => {
  const mutations = mutationsFor(op);

  it("has mutation candidates of every kind the schema allows", () => {
    const kinds = new Set(mutations.map((m) => m.kind));
    expect(kinds.has("removed_required")).toBe(true);
    expect(kinds.has("wrong_type")).toBe(true);
    expect(kinds.has("out_of_range")).toBe(true);
    expect(kinds.has("bad_enum")).toBe(true);
  });

  it(`positive: ${RUNS} generated requests are accepted`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const body = generateRequest(op, seed);
        expect(validateRequest(opId, body)).toEqual([]);
      }),
      { numRuns: RUNS, seed: 1126 },
    );
  }, 120_000);

  it(`negative: ${RUNS} single-field mutations are rejected at exactly the mutated pointer`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.nat({ max: mutations.length - 1 }), (seed, mi) => {
        const m = mutations[mi]!;
        const body = generateRequest(op, seed);
        const mutated = m.apply(body);
        if (JSON.stringify(mutated) === JSON.stringify(body)) return; // e.g. tag mutation on an absent array
        const vs = validateRequest(opId, mutated).filter((v) => v.severity === "error");
        expect(vs.length, `${m.kind} ${m.pointer}`).toBeGreaterThan(0);
        expect([...new Set(vs.map((v) => v.instancePath))], `${m.kind} ${m.pointer}`).toEqual([m.pointer]);
        for (const v of vs) expect(v.schemaPath).toMatch(/^#\//);
      }),
      { numRuns: RUNS, seed: 2611 },
    );
  }, 120_000);
});
