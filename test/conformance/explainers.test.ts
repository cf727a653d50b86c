// The CLI's explaining path (generated/explainers.cjs: every error, compiled at generate time and loaded by the
// CLI's build through ajv-modules.node.ts) and the run-time one (every validator compiled by Ajv, as the library and
// any other spec do) give identical findings: over the spec's examples, schema-driven mutations, mutated streams, the
// mixed sample, hostile payloads past the error limit and the real captures in ../shared/captures.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { explainingValidators } from "../../src/conformance/ajv-modules";
import { Contract, checkExchange, loadContract, validateRequest, validateResponse } from "../../src/conformance/index";
import { checkEventStream } from "../../src/conformance/sse";
import { findMedia, findResponse } from "../../src/spec/operations";
import { bundledSpec } from "../../src/spec/bundle";
import { specSha } from "../../generated/validators.js";
import { allExamples, ops, sampleRecords } from "../support/conformance";
import { CAPTURES_DIR, sameOverCaptures } from "../support/shared-captures";
import { mutationsFor } from "./mutations";

// As the CLI is built (tsup.config.ts, lazyAjv): Ajv loaded on demand, the explaining validators precompiled.
vi.mock("../../src/conformance/ajv-modules", async () => await import("../../src/conformance/ajv-modules.node"));

/** The bundled contract (precompiled verdicts and explanations) and one on a copy of the spec (compiles everything). */
const pair = (maxViolations?: number) => ({
  pre: loadContract(undefined, { maxViolations }),
  run: new Contract(JSON.parse(JSON.stringify(bundledSpec)), { maxViolations }),
});
/** Ajv instances the contract created: none means nothing was compiled at run time. */
const compiled = (c: Contract) => (c as unknown as { validators: { ajvs: Map<string, unknown> } }).validators.ajvs.size;

describe("precompiled explaining validators (the CLI) agree with the ones compiled at run time", () => {
  it("are used only for the spec they were built from", () => {
    expect(explainingValidators(bundledSpec)?.open).toBeTypeOf("function");
    const other = { ...bundledSpec, info: { ...(bundledSpec.info as object), version: "0.0.0-other" } };
    expect(explainingValidators(other)).toBeUndefined();
    expect(explainingValidators(JSON.parse(JSON.stringify(bundledSpec)))?.closed).toBeTypeOf("function");
    // The bundled spec's SHA-256, written beside its verdicts, is the one the loader would compute; a wrong one is not
    // taken on trust.
    expect(specSha).toBe(createHash("sha256").update(JSON.stringify(bundledSpec)).digest("hex"));
    expect(explainingValidators({ ...bundledSpec }, specSha)?.open).toBeTypeOf("function");
    expect(explainingValidators({ ...bundledSpec }, "0".repeat(64))).toBeUndefined();
  });

  it("spec examples and schema-driven mutations: identical findings, and nothing compiled to explain them", () => {
    const { pre, run } = pair();
    let rejected = 0;
    for (const e of allExamples()) {
      const check = (contract: Contract, mode: "tolerant" | "strict") =>
        e.side === "request"
          ? validateRequest(e.operationId, e.value, { contract })
          : validateResponse(e.operationId, e.status, e.mediaType, e.value, { contract, mode });
      for (const mode of ["tolerant", "strict"] as const) expect(check(pre, mode)).toEqual(check(run, mode));
    }
    for (const op of ops()) {
      const base = allExamples().find((e) => e.operationId === op.operationId && e.side === "request")!;
      for (const m of mutationsFor(op)) {
        const body = m.apply(base.value as Record<string, unknown>);
        const a = validateRequest(op.operationId!, body, { contract: pre });
        expect(a, `${m.kind} ${m.pointer}`).toEqual(validateRequest(op.operationId!, body, { contract: run }));
        if (a.length) rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(20);
    expect(compiled(pre)).toBe(0);
    expect(compiled(run)).toBeGreaterThan(0);
  });

  it("mutated response bodies and streams (wrong types, undocumented fields, non-objects), both modes", () => {
    const { pre, run } = pair();
    let findings = 0;
    for (const e of allExamples().filter((x) => x.side === "response")) {
      const op = ops().find((o) => o.operationId === e.operationId)!;
      if (e.mediaType === "text/event-stream") {
        const media = findMedia(findResponse(op, e.status)!.content, e.mediaType)!;
        const text = String(e.value);
        const variants = [
          ['"index":0', '"index":"zero"'],
          ['"choices":[', '"surprise":true,"choices":['],
          ['"finish_reason":null', '"finish_reason":"mystery"'],
          ["data: {", "data: [1,"],
        ].flatMap(([from, to]) => [text.replace(from!, to!), text.replaceAll(from!, to!)]);
        for (const body of variants) {
          for (const opts of [{ mode: "strict" }, { mode: "tolerant" }, { undocumented: false }] as const) {
            const a = checkEventStream(pre, media, body, opts);
            expect(a).toEqual(checkEventStream(run, media, body, opts));
            findings += a.length;
          }
        }
        continue;
      }
      if (!e.value || typeof e.value !== "object") continue;
      const v = e.value as Record<string, unknown>;
      const variants = [{ ...v, surprise: 1 }, { ...v, id: 7 }, { ...v, choices: [{ index: "x", extra: true }] }, []];
      for (const body of variants) {
        for (const mode of ["tolerant", "strict"] as const) {
          const a = validateResponse(e.operationId, e.status, e.mediaType, body, { contract: pre, mode });
          expect(a).toEqual(validateResponse(e.operationId, e.status, e.mediaType, body, { contract: run, mode }));
          findings += a.length;
        }
      }
    }
    expect(findings).toBeGreaterThan(100);
    expect(compiled(pre)).toBe(0);
  });

  it("the mixed sample in both modes", () => {
    const { pre, run } = pair();
    for (const rec of sampleRecords()) {
      for (const mode of ["tolerant", "strict"] as const) {
        expect(checkExchange(rec, { contract: pre, mode }), rec.id).toEqual(
          checkExchange(rec, { contract: run, mode }),
        );
      }
    }
  });

  it("past the error limit (the contract's own, from maxViolations): the same partial findings", () => {
    for (const max of [undefined, 1500]) {
      const { pre, run } = pair(max);
      const bad = { model: "openai/gpt-4o", messages: Array.from({ length: 20_000 }, () => ({})) };
      const tokens = { model: "m", prompt: Array.from({ length: 3 * pre.errorLimit }, (_, i) => i) };
      const a = validateRequest("createChatCompletion", bad, { contract: pre });
      expect(a.at(-1)!.actual).toMatch(/^at least/);
      expect(a).toEqual(validateRequest("createChatCompletion", bad, { contract: run }));
      for (const body of [tokens, { ...tokens, prompt: [...tokens.prompt, "x"] }]) {
        expect(validateRequest("createCompletion", body, { contract: pre })).toEqual(
          validateRequest("createCompletion", body, { contract: run }),
        );
      }
    }
  });

  it("the real captures (../shared/captures or OPENROUTER_CAPTURES): identical findings in both modes", () => {
    expect(existsSync(CAPTURES_DIR), `captures folder ${CAPTURES_DIR}`).toBe(true);
    const { pre, run } = pair();
    const results = sameOverCaptures(pre, run);
    expect(results.filter((r) => r.result.violations.length).length).toBeGreaterThan(0);
  }, 120_000);
});
