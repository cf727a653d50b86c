// One preview rule for every finding (issue 18, item 3): a finding's `expected`, `actual` and message are capped, so
// its size does not grow with the payload (a 1 MiB `model` once put 2 MB into each finding).
import { describe, expect, it } from "vitest";
import { checkStream, validateResponse } from "../../src/conformance/index";
const MAX_FINDING = 4000; // 3 capped fields of 1,000 characters plus the rest
import { chunk, sse } from "../support/fault-server";

function alternating(size: number): string {
  const a = "a".repeat(size);
  const b = "b".repeat(size);
  let s = "";
  for (let i = 0; i < 4; i++) s += sse(chunk("x", { model: i % 2 ? a : b }));
  return `${s}data: [DONE]\n\n`;
}
const bytes = (v: unknown) => JSON.stringify(v).length;

describe("finding size is capped", () => {
  it("sse_chunk_consistency: 2x the model length, the same finding size (under 4 KB)", () => {
    const small = checkStream("createChatCompletion", alternating(50_000));
    const big = checkStream("createChatCompletion", alternating(100_000));
    const f1 = small.filter((v) => v.check === "sse_chunk_consistency");
    const f2 = big.filter((v) => v.check === "sse_chunk_consistency");
    expect(f2.length).toBe(f1.length);
    expect(f2.length).toBeGreaterThan(0);
    for (const v of f2) expect(bytes(v)).toBeLessThan(MAX_FINDING);
    expect(bytes(f2)).toBe(bytes(f1));
    expect(String(f2[0]!.actual)).toMatch(/^a+…$/);
  });

  it("schema findings: a huge wrongly typed value is previewed, not copied", () => {
    const body = { id: "x", object: "chat.completion", created: 1, model: "m", choices: { big: "y".repeat(200_000) } };
    const vs = validateResponse("createChatCompletion", 200, "application/json", body);
    expect(vs.length).toBeGreaterThan(0);
    for (const v of vs) expect(bytes(v)).toBeLessThan(MAX_FINDING);
  });
});
