// Differential check: Ajv (our validator) and @hyperjump/json-schema's OpenAPI 3.1
// dialect must agree on every example, every streamed chunk, and on generated valid and mutated requests.
import fc from "fast-check";
import { registerSchema, validate } from "@hyperjump/json-schema/openapi-3-1";
import { beforeAll, describe, expect, it } from "vitest";
import { findMedia, findResponse } from "../../src/spec/operations";
import { allExamples, contract, generateRequest, ops, sseBlocks } from "../support/conformance";
import { mutationsFor } from "./mutations";

const ID = "https://openrouter-contract.invalid/hyperjump/openapi.json";
type V = (value: unknown) => { valid: boolean };
const compiled = new Map<string, V>();

async function hj(pointer: string): Promise<V> {
  let v = compiled.get(pointer);
  if (!v) {
    v = (await validate(ID + pointer)) as unknown as V;
    compiled.set(pointer, v);
  }
  return v;
}
const ajvValid = (pointer: string, value: unknown) =>
  contract.validate(pointer, value, { check: "x", location: "" }).length === 0;

beforeAll(() => {
  registerSchema(structuredClone(contract.spec) as never, ID, "https://spec.openapis.org/oas/3.1/dialect/base");
});

describe("Ajv and hyperjump agree", () => {
  it("on every example (JSON bodies and every SSE chunk)", async () => {
    let n = 0;
    for (const e of allExamples()) {
      const op = contract.operation(e.operationId)!;
      const media =
        e.side === "request"
          ? findMedia(op.request!.content, e.mediaType)!
          : findMedia(findResponse(op, e.status)!.content, e.mediaType)!;
      const values: [string, unknown][] =
        media.kind === "sse"
          ? sseBlocks(e.value as string)
              .filter((b) => b.startsWith("data:") && !b.startsWith("data: [DONE]"))
              .map((b) => [media.chunkPointer!, JSON.parse(b.slice(5))])
          : [[media.schemaPointer!, e.value]];
      for (const [ptr, v] of values) {
        const h = (await hj(ptr))(v).valid;
        expect({ example: `${e.operationId} ${e.name}`, hyperjump: h, ajv: ajvValid(ptr, v) }).toEqual({
          example: `${e.operationId} ${e.name}`,
          hyperjump: true,
          ajv: true,
        });
        n++;
      }
    }
    expect(n).toBeGreaterThan(40);
  });
  it.each(ops().map((o) => [o.operationId!, o] as const))(
    "on generated and mutated %s requests (200 seeded runs)",
    async (_id, op) => {
      const ptr = op.request!.content.find((m) => m.kind === "json")!.schemaPointer!;
      const v = await hj(ptr);
      const mutations = mutationsFor(op);
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.nat({ max: mutations.length }), (seed, mi) => {
          const body = generateRequest(op, seed);
          const value = mi === mutations.length ? body : mutations[mi]!.apply(body);
          expect(v(value).valid).toBe(ajvValid(ptr, value));
        }),
        { numRuns: 200, seed: 777 },
      );
    },
    120_000,
  );
});
