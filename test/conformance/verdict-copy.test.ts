// The closed copy the precompiled verdicts are compiled from (shortCircuitUnions: anyOf as if/else where no
// unevaluatedProperties reads the branches) gives the verdicts of the closed copy as it was, over every payload of the
// real captures, the spec's examples and mutations of them; and the rewrite leaves alone what it must. Also the
// generator's rewrite of Ajv's calls (scripts/positional-context.ts).
import { _, type ValidateFunction } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { describe, expect, it } from "vitest";
import { createAjv, SCHEMA_IDS, schemaRef, validationCopies } from "../../src/conformance/validator";
import { precompiledValidators } from "../../src/conformance/precompiled";
import { shortCircuitUnions } from "../../src/conformance/verdict-copy";
import { bundledSpec } from "../../src/spec/bundle";
import { allExamples } from "../support/conformance";
import { loadSharedCaptures, sseDataEvents } from "../support/shared-captures";
import { positionalContext } from "../../scripts/positional-context";

type Json = Record<string, unknown>;

/** Fail-fast validators of `doc` (registered as the closed copy) by pointer. */
function verdicts(doc: Json, pointers: string[]): Map<string, ValidateFunction> {
  const ajv = createAjv({ allErrors: false });
  ajv.addSchema({ ...doc, $id: SCHEMA_IDS.closed });
  return new Map(pointers.map((p) => [p, ajv.compile(schemaRef(SCHEMA_IDS.closed, p))]));
}

/** Each payload with every node replaced in turn (wrong types, null, deleted) and an undocumented field added. */
function mutations(v: unknown): unknown[] {
  const out: unknown[] = [];
  const swaps: unknown[] = [null, "x", 1.5, -1, true, {}, []];
  const walk = (node: unknown, rebuild: (x: unknown) => unknown, depth: number) => {
    if (depth > 6) return;
    for (const s of swaps) out.push(rebuild(s));
    if (Array.isArray(node)) {
      for (const [i, x] of node.entries()) walk(x, (y) => rebuild(node.map((z, j) => (j === i ? y : z))), depth + 1);
    } else if (node && typeof node === "object") {
      const o = node as Json;
      out.push(rebuild({ ...o, surprise: 1 }));
      for (const k of Object.keys(o)) {
        const { [k]: _dropped, ...rest } = o;
        out.push(rebuild(rest));
        walk(o[k], (y) => rebuild({ ...o, [k]: y }), depth + 1);
      }
    }
  };
  walk(v, (x) => x, 0);
  return out;
}

/** The payloads to compare on: chunks and JSON bodies of the captures and the spec's examples. */
function payloads(): { chunks: unknown[]; bodies: unknown[] } {
  const chunks: unknown[] = [];
  const bodies: unknown[] = [];
  for (const { capture } of loadSharedCaptures()) {
    if (capture.response.sse !== undefined) chunks.push(...sseDataEvents(capture.response.sse));
    else if (capture.response.body !== undefined) bodies.push(capture.response.body);
  }
  for (const e of allExamples()) {
    if (e.mediaType === "text/event-stream") chunks.push(...sseDataEvents(String(e.value)));
    else if (e.side === "response") bodies.push(e.value);
  }
  return { chunks, bodies };
}

/** Payloads of the same shape (the same keys and value types) are mutated once. */
function distinct(vs: unknown[]): unknown[] {
  const seen = new Map<string, unknown>();
  for (const v of vs) {
    const key = JSON.stringify(v, (_k, x) => (typeof x === "string" || typeof x === "number" ? typeof x : x));
    if (!seen.has(key)) seen.set(key, v);
  }
  return [...seen.values()];
}

describe("shortCircuitUnions: the precompiled closed verdicts' copy", () => {
  const { closed } = validationCopies(bundledSpec as Json);
  const pointers = Object.keys(precompiledValidators())
    .filter((k) => k.startsWith("closed:#"))
    .map((k) => k.slice("closed:#".length));

  it("gives the closed copy's verdicts over the captures, the examples and their mutations", () => {
    const before = verdicts(closed, pointers);
    const after = verdicts(shortCircuitUnions(closed), pointers);
    const { chunks, bodies } = payloads();
    expect(chunks.length).toBeGreaterThan(1000);
    expect(bodies.length).toBeGreaterThan(100);
    const chunkPointers = pointers.filter((p) => p.endsWith("/contentSchema"));
    expect(chunkPointers.length).toBe(2);
    const counts = { pass: 0, fail: 0 };
    const differ: string[] = [];
    const compare = (data: unknown, at: string[]) => {
      for (const p of at) {
        const verdict = before.get(p)!(data);
        if (after.get(p)!(data) !== verdict) differ.push(`${p}: ${JSON.stringify(data).slice(0, 300)}`);
        counts[verdict ? "pass" : "fail"]++;
      }
    };
    for (const c of chunks) compare(c, chunkPointers);
    for (const b of bodies) compare(b, pointers);
    for (const c of distinct(chunks)) for (const m of mutations(c)) compare(m, chunkPointers);
    for (const b of distinct(bodies)) for (const m of mutations(b)) compare(m, pointers);
    expect(differ).toEqual([]);
    expect(counts.pass).toBeGreaterThan(5000);
    expect(counts.fail).toBeGreaterThan(5000);
  }, 120_000);

  it("rewrites the stream event's anyOf and the nullable fields of a chunk (null tried first)", () => {
    const copy = shortCircuitUnions(closed) as { components: { schemas: Record<string, Json> } };
    const s = copy.components.schemas;
    expect(s.ChatCompletionStreamEvent!.anyOf).toBeUndefined();
    expect(s.ChatCompletionStreamEvent!.if).toEqual({ $ref: "#/components/schemas/ChatCompletionChunk" });
    const logprobs = (s.ChatCompletionChunkChoice!.properties as Record<string, Json>).logprobs!;
    expect(logprobs).toMatchObject({
      if: { type: "null" },
      else: { $ref: "#/components/schemas/ChatCompletionLogprobs" },
    });
    // The closed catch-all of an open enum (`not: {}`) never passes: dropped.
    expect(JSON.stringify(s.FinishReason)).not.toContain('"not":{}');
    // The closed copy itself is not changed (its findings are explained from it).
    expect(
      (closed as { components: { schemas: Record<string, Json> } }).components.schemas.ChatCompletionStreamEvent!.anyOf,
    ).toHaveLength(2);
  });

  // Where an unevaluatedProperties reads an anyOf, every passing branch counts: {a, b} passes Shared's anyOf through
  // both branches, and ViaAllOf only because both evaluated a property. An if/else would stop after the first.
  const small: Json = {
    components: {
      schemas: {
        Closed: {
          type: "object",
          properties: { x: {} },
          anyOf: [{ type: "null" }, { $ref: "#/components/schemas/A" }],
        },
        ViaAllOf: { allOf: [{ $ref: "#/components/schemas/Shared" }], unevaluatedProperties: false },
        Shared: { anyOf: [{ $ref: "#/components/schemas/A" }, { properties: { b: {} } }] },
        A: { properties: { a: { type: "string" } } },
        Pointed: { anyOf: [{ type: "string" }, { type: "integer" }] },
        UsesPointed: { $ref: "#/components/schemas/Pointed/anyOf/1" },
        WithIf: { anyOf: [{ type: "string" }, { type: "null" }], if: { type: "string" }, else: { type: "null" } },
        Free: { anyOf: [{ $ref: "#/components/schemas/Pointed" }, { not: {} }, { type: "null" }] },
        OneLeft: { allOf: [{ type: "string" }], anyOf: [{ minLength: 2 }, { description: "closed", not: {} }] },
      },
    },
  };
  (small.components as { schemas: Record<string, Json> }).schemas.Closed!.unevaluatedProperties = false;
  const names = ["Closed", "ViaAllOf", "Shared", "WithIf", "Free", "UsesPointed", "OneLeft"];

  it("the same verdicts where an unevaluatedProperties reads an anyOf's branches", () => {
    const ids = names.map((n) => `/components/schemas/${n}`);
    const [a, b] = [verdicts(small, ids), verdicts(shortCircuitUnions(small), ids)];
    const data = [
      null,
      "",
      "s",
      3,
      1.5,
      {},
      { a: "1" },
      { a: 1 },
      { b: 1 },
      { a: "1", b: 2 },
      { x: 1, a: "" },
      { c: 1 },
    ];
    for (const d of data) for (const p of ids) expect(b.get(p)!(d), `${p} ${JSON.stringify(d)}`).toBe(a.get(p)!(d));
    expect(a.get(ids[1]!)!({ a: "1", b: 2 })).toBe(true);
  });

  it("keeps every anyOf an unevaluatedProperties reads, a $ref points into, or that sits beside if", () => {
    const s = (shortCircuitUnions(small) as { components: { schemas: Record<string, Json> } }).components.schemas;
    const was = (small.components as { schemas: Record<string, Json> }).schemas;
    for (const name of ["Closed", "Shared", "A", "Pointed", "WithIf"]) expect(s[name], name).toEqual(was[name]);
    expect(s.Free).toEqual({ if: { type: "null" }, else: { $ref: "#/components/schemas/Pointed" } });
    expect(s.OneLeft).toEqual({ allOf: [{ type: "string" }], anyOf: [{ minLength: 2 }] });
  });
});

describe("positionalContext: Ajv's standalone validators with their context as arguments", () => {
  const schema = {
    $id: "https://example.invalid/s.json",
    $defs: {
      A: {
        type: "object",
        properties: { b: { $ref: "#/$defs/B" }, "a,b": { $ref: "#/$defs/B" }, list: { items: { $ref: "#/$defs/B" } } },
        additionalProperties: false,
      },
      B: { anyOf: [{ type: "integer" }, { $ref: "#/$defs/A" }] },
    },
  };
  const build = (rewrite: (code: string) => string) => {
    const ajv = createAjv({ allErrors: false, formats: false, standalone: { formats: _`rt.formats` } });
    ajv.opts.inlineRefs = false;
    ajv.addSchema(schema);
    const code = rewrite(standaloneCode(ajv, { a: `${schema.$id}#/$defs/A` }));
    const exports: Record<string, (d: unknown) => boolean> = {};
    new Function("exports", code)(exports);
    return { code, a: exports.a! };
  };

  it("the same verdicts, and no context object is built", () => {
    const [before, after] = [build((c) => c), build(positionalContext)];
    expect(before.code).toMatch(/, \{instancePath/);
    expect(after.code).not.toMatch(/, \{instancePath|\(data, \{/);
    const data = [
      {},
      { b: 1 },
      { b: "x" },
      { "a,b": { b: 2 } },
      { "a,b": { b: {} } },
      { list: [1, { b: 1 }, { c: 1 }] },
      [],
    ];
    for (const d of data) expect(after.a(d), JSON.stringify(d)).toBe(before.a(d));
  });

  it("fails on code in a form it does not know instead of leaving it half rewritten", () => {
    const odd =
      'function validate1(data, {instancePath="", parentData}={}) {}\nvalidate1(x, {instancePath,parentData});';
    expect(() => positionalContext(odd)).toThrow(/not rewritten/);
  });
});
