// The client's chunk hook (`createClientValidator().validateChunk`) asks one precompiled verdict per valid chunk
// (the closed copy's). Its findings are those of the two-step check it replaced (schema errors, else undocumented
// fields), over the spec's stream examples, mutations of them, and every chunk of the real captures.
import { describe, expect, it } from "vitest";
import { createClientValidator, loadContract } from "../../src/conformance/index";
import type { Violation } from "../../src/conformance/types";
import { dedupe } from "../../src/conformance/violations";
import { streamMediaOf } from "../../src/spec/operations";
import { allExamples } from "../support/conformance";
import { sharedCaptureRecords } from "../support/shared-captures";

const contract = loadContract();

/** The check before: schema errors first; only a chunk without them is checked for undocumented fields. */
function twoStep(opId: string, chunk: unknown, strict: boolean): Violation[] {
  const pointer = streamMediaOf(contract.operation(opId)!)!.chunkPointer!;
  const at = { check: "sse_chunk_schema", location: "response.sse.data" };
  const vs = contract.validate(pointer, chunk, at);
  if (!vs.length) {
    const severity = strict ? ("error" as const) : ("info" as const);
    vs.push(...contract.undocumentedFields(pointer, chunk, { ...at, check: "no_undocumented_fields", severity }));
  }
  return dedupe(vs).filter((v) => v.severity !== "info");
}

function chunks(): [string, unknown][] {
  const out: [string, unknown][] = [];
  const add = (opId: string, text: string) => {
    for (const line of text.split(/\r?\n/)) if (line.startsWith("data: {")) out.push([opId, JSON.parse(line.slice(6))]);
  };
  for (const e of allExamples()) if (e.mediaType === "text/event-stream") add(e.operationId, String(e.value));
  // A missing captures folder throws: the check over real chunks must not shrink to the examples unseen.
  for (const rec of sharedCaptureRecords()) {
    const text = rec.response?.bodyText;
    if (text === undefined) continue;
    add(rec.request.url.endsWith("/chat/completions") ? "createChatCompletion" : "createCompletion", text);
  }
  return out;
}

describe("validateChunk: one verdict, the same findings", () => {
  const all = chunks();
  const mutated = (c: Record<string, unknown>) => {
    const choice = (Array.isArray(c.choices) ? c.choices[0] : undefined) as Record<string, unknown> | undefined;
    return [
      c,
      { ...c, surprise: 1 },
      { ...c, choices: "no" },
      { ...c, created: "yesterday" },
      ...(choice
        ? [
            { ...c, choices: [{ ...choice, extra: true }] },
            { ...c, choices: [{ ...choice, index: -1 }] },
          ]
        : []),
    ];
  };

  it("over the examples, their mutations and the captures' chunks, in both modes", () => {
    expect(all.length).toBeGreaterThan(50);
    let found = 0;
    for (const strict of [true, false]) {
      const v = createClientValidator({ contract, mode: strict ? "strict" : "tolerant" });
      for (const [opId, chunk] of all) {
        for (const c of mutated(chunk as Record<string, unknown>)) {
          const got = v.validateChunk(opId, c);
          expect(got, JSON.stringify(c).slice(0, 200)).toEqual(twoStep(opId, c, strict));
          found += got.length;
        }
      }
    }
    expect(found, "the mutations are found").toBeGreaterThan(all.length);
  });
});
