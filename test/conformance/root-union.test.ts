// A payload that fails a schema which is only a union (a stream chunk: ChatCompletionStreamEvent's anyOf) is explained
// from the union's branches alone (narrowRootUnion), without the union's own all-errors run. It must give what
// narrowUnions makes of that run: compared over every chunk of the real captures, the spec's stream examples, their
// mutations, error events and hostile chunks past the error limit (where it must step aside).
import type { ErrorObject } from "ajv";
import { describe, expect, it, vi } from "vitest";
import { Contract, loadContract } from "../../src/conformance/index";
import { narrowRootUnion, narrowUnions } from "../../src/conformance/unions";
import { runValidator, type ValidatorStore } from "../../src/conformance/validator";
import { findMedia, findResponse } from "../../src/spec/operations";
import { bundledSpec } from "../../src/spec/bundle";
import { allExamples } from "../support/conformance";
import { loadSharedCaptures, sseDataEvents } from "../support/shared-captures";

// As the CLI is built: the explaining validators precompiled (the library's run-time ones are compared below too).
vi.mock("../../src/conformance/ajv-modules", async () => await import("../../src/conformance/ajv-modules.node"));

type Json = Record<string, unknown>;

/** Each payload with every node replaced in turn (wrong types, null, deleted) and an undocumented field added. */
function mutations(v: unknown, depth = 0): unknown[] {
  const out: unknown[] = [null, "x", 1.5, [], {}];
  if (depth > 5) return out;
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries())
      for (const m of mutations(x, depth + 1)) out.push(v.map((y, j) => (j === i ? m : y)));
  } else if (v && typeof v === "object") {
    const o = v as Json;
    out.push({ ...o, surprise: 1 });
    for (const k of Object.keys(o)) {
      const { [k]: _dropped, ...rest } = o;
      out.push(rest);
      for (const m of mutations(o[k], depth + 1)) out.push({ ...o, [k]: m });
    }
  }
  return out;
}

/** The stream chunks to compare on: the captures', the examples', and mutations of one of each shape. */
function chunks(): unknown[] {
  const all: unknown[] = [];
  for (const { capture } of loadSharedCaptures()) {
    if (capture.response.sse !== undefined) all.push(...sseDataEvents(capture.response.sse));
  }
  for (const e of allExamples()) if (e.mediaType === "text/event-stream") all.push(...sseDataEvents(String(e.value)));
  const shapes = new Map<string, unknown>();
  for (const c of all)
    shapes.set(
      JSON.stringify(c, (_k, x) => (typeof x === "string" ? "" : x)),
      c,
    );
  return [...all, ...[...shapes.values()].slice(0, 60).flatMap((c) => mutations(c))];
}

const view = (store: ValidatorStore, errs: ErrorObject[]) =>
  errs.map((e) => ({ ...e, parentSchema: store.pointerOf(e.parentSchema), schema: undefined, data: undefined }));

describe("narrowRootUnion: a union schema's failing payload explained from its branches alone", () => {
  const contract = loadContract();
  const store = (contract as unknown as { validators: ValidatorStore }).validators;
  const sse = contract.operations.flatMap((op) => {
    const media = findMedia(findResponse(op, 200)?.content ?? [], "text/event-stream");
    return media?.chunkPointer ? [media.chunkPointer] : [];
  });

  it("gives narrowUnions' result on the union's own run, over real, example and mutated chunks", () => {
    expect(sse.length).toBe(2);
    const counts = { shortcut: 0, aside: 0 };
    for (const data of chunks()) {
      for (const pointer of sse) {
        if (contract.passes(pointer, data, false)) continue;
        const fast = narrowRootUnion(store, pointer, data, contract.errorLimit);
        const fn = store.compile(pointer, "open");
        store.resetLimit();
        expect(runValidator(fn, data, pointer)).toBe(false);
        if (store.limitHit) {
          expect(fast).toBeUndefined();
          continue;
        }
        const slow = narrowUnions(store, fn.errors ?? [], data, false);
        if (fast === undefined) counts.aside++;
        else {
          counts.shortcut++;
          expect(view(store, fast), JSON.stringify(data).slice(0, 300)).toEqual(view(store, slow));
        }
      }
    }
    expect(counts.shortcut).toBeGreaterThan(1000);
    // Non-objects fail the union's own `type: object`: its run reports that, so they take the long way.
    expect(counts.aside).toBeGreaterThan(100);
  }, 120_000);

  it("steps aside past the error limit, and the findings stay those of validators compiled at run time", () => {
    const run = new Contract(JSON.parse(JSON.stringify(bundledSpec)));
    const choice = { index: "x", delta: 5, finish_reason: 7 };
    const hostile = { id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [] as unknown[] };
    hostile.choices = Array.from({ length: contract.errorLimit }, () => choice);
    for (const pointer of sse) {
      expect(narrowRootUnion(store, pointer, hostile, contract.errorLimit)).toBeUndefined();
      const small = { ...hostile, choices: hostile.choices.slice(0, 3) };
      expect(narrowRootUnion(store, pointer, small, contract.errorLimit)).toBeDefined();
      for (const data of [hostile, small, { error: { code: "x" } }, { choices: 1 }]) {
        const o = { check: "response_body_schema", location: "response.sse" };
        expect(contract.validate(pointer, data, o)).toEqual(run.validate(pointer, data, o));
      }
    }
  });

  it("only for a schema that is nothing but a union (and type: object)", () => {
    const body = contract.operations[0]!.request!.content[0]!.schemaPointer!;
    expect(narrowRootUnion(store, body, { model: 5 }, contract.errorLimit)).toBeUndefined();
    expect(narrowRootUnion(store, sse[0]!, [], contract.errorLimit)).toBeUndefined();
  });
});
