// The fast path (the bundled spec's validators precompiled at generate time, generated/validators.js) and the
// explaining path (every validator compiled at run time, as for any other spec) give identical findings: over the
// spec's examples, schema-driven mutations, the mixed sample and the real captures in ../shared/captures.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  Contract,
  checkExchange,
  createClientValidator,
  loadContract,
  validateRequest,
  validateResponse,
} from "../../src/conformance/index";
import { checkEventStream, StreamChecker } from "../../src/conformance/sse";
import type { Mode } from "../../src/conformance/types";
import { findMedia, findResponse } from "../../src/spec/operations";
import { bundledSpec } from "../../src/spec/bundle";
import { allExamples, ops, sampleRecords } from "../support/conformance";
import { CAPTURES_DIR, sameOverCaptures } from "../support/shared-captures";
import { mutationsFor } from "./mutations";

/** A fresh contract on the bundled spec (precompiled verdicts) and one on a copy of it (compiles everything). */
const pair = () => ({
  fast: loadContract(undefined, {}),
  slow: new Contract(JSON.parse(JSON.stringify(bundledSpec))),
});
const compiled = (c: Contract) => (c as unknown as { validators: { ajvs: Map<string, unknown> } }).validators.ajvs.size;

describe("precompiled validators (the fast path) agree with the run-time ones", () => {
  it("the bundled contract accepts valid payloads without compiling, and only the bundled spec uses them", () => {
    const { fast, slow } = pair();
    const valid = allExamples().filter((e) => e.side === "request" && e.mediaType === "application/json");
    expect(valid.length).toBeGreaterThan(0);
    for (const e of valid) expect(validateRequest(e.operationId, e.value, { contract: fast })).toEqual([]);
    expect(compiled(fast)).toBe(0);
    validateRequest(valid[0]!.operationId, valid[0]!.value, { contract: slow });
    expect(compiled(slow)).toBeGreaterThan(0);
    const noFormats = loadContract(undefined, { formats: false });
    validateRequest(valid[0]!.operationId, valid[0]!.value, { contract: noFormats });
    expect(compiled(noFormats)).toBeGreaterThan(0);
  });

  it("spec examples and schema-driven request mutations: identical violation lists", () => {
    const { fast, slow } = pair();
    let n = 0;
    let rejected = 0;
    for (const e of allExamples()) {
      const run = (contract: Contract, mode: Mode) =>
        e.side === "request"
          ? validateRequest(e.operationId, e.value, { contract })
          : validateResponse(e.operationId, e.status, e.mediaType, e.value, { contract, mode });
      for (const mode of ["tolerant", "strict"] as const) expect(run(fast, mode)).toEqual(run(slow, mode));
      n++;
    }
    for (const op of ops()) {
      const base = allExamples().find((e) => e.operationId === op.operationId && e.side === "request")!;
      for (const m of mutationsFor(op)) {
        const body = m.apply(base.value as Record<string, unknown>);
        const a = validateRequest(op.operationId!, body, { contract: fast });
        expect(a).toEqual(validateRequest(op.operationId!, body, { contract: slow }));
        if (a.length) rejected++;
      }
    }
    expect(n).toBeGreaterThan(20);
    expect(rejected).toBeGreaterThan(20);
  });

  it("the mixed sample, both modes, and the client's chunk hook: identical findings", () => {
    const { fast, slow } = pair();
    for (const rec of sampleRecords()) {
      for (const mode of ["tolerant", "strict"] as const) {
        expect(checkExchange(rec, { contract: fast, mode }), rec.id).toEqual(
          checkExchange(rec, { contract: slow, mode }),
        );
      }
    }
    const [vf, vs] = [
      createClientValidator({ contract: fast, mode: "strict" }),
      createClientValidator({ contract: slow, mode: "strict" }),
    ];
    for (const e of allExamples().filter((x) => x.mediaType === "text/event-stream")) {
      for (const line of String(e.value).split("\n")) {
        if (!line.startsWith("data: {")) continue;
        const chunk = JSON.parse(line.slice(6));
        for (const c of [chunk, { ...chunk, surprise: 1 }, { ...chunk, choices: "no" }]) {
          expect(vf.validateChunk(e.operationId, c)).toEqual(vs.validateChunk(e.operationId, c));
        }
      }
    }
  });

  it("the stream checker's chunk fast path: mutated chunks, whole or in pieces, with and without undocumented", () => {
    const { fast, slow } = pair();
    let streams = 0;
    let findings = 0;
    for (const e of allExamples().filter((x) => x.mediaType === "text/event-stream" && x.status === 200)) {
      const op = ops().find((o) => o.operationId === e.operationId)!;
      const media = findMedia(findResponse(op, 200)!.content, "text/event-stream")!;
      const text = String(e.value);
      // Each chunk mutated in turn: a wrong type, an undocumented field, a non-object.
      const variants = [text];
      for (const [from, to] of [
        ['"index":0', '"index":"zero"'],
        ['"choices":[', '"surprise":true,"choices":['],
        ["data: {", "data: [1,"],
      ] as const) {
        variants.push(text.replace(from, to), text.replaceAll(from, to));
      }
      for (const body of variants) {
        for (const opts of [{ mode: "tolerant" }, { mode: "strict" }, { undocumented: false }] as const) {
          const run = (c: Contract, step: number) => {
            const checker = new StreamChecker(c, media, opts);
            for (let i = 0; i < body.length; i += step) checker.feed(body.slice(i, i + step));
            return checker.end();
          };
          const a = checkEventStream(fast, media, body, opts);
          expect(a).toEqual(checkEventStream(slow, media, body, opts));
          expect(run(fast, 7)).toEqual(a);
          findings += a.length;
        }
        streams++;
      }
    }
    expect(streams).toBeGreaterThan(10);
    expect(findings).toBeGreaterThan(10);
  });

  it("the real captures (../shared/captures or OPENROUTER_CAPTURES): identical findings in both modes", () => {
    expect(existsSync(CAPTURES_DIR), `captures folder ${CAPTURES_DIR}`).toBe(true);
    const { fast, slow } = pair();
    const results = sameOverCaptures(fast, slow);
    const withErrors = results.filter(
      (r) => r.mode === "strict" && r.result.violations.some((v) => v.severity === "error"),
    ).length;
    // Both paths see real findings, not only clean traffic (tolerant mode finds no error in the captures any more;
    // strict mode still fails the recorded `finish_reason: "end_turn"`).
    expect(withErrors).toBeGreaterThan(0);
  }, 120_000);
});
