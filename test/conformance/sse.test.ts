import { describe, expect, it } from "vitest";
import { checkExchange, checkStream, StreamChecker } from "../../src/conformance/index";
import { contract, exchange, sseBlocks, streamExamples } from "../support/conformance";

// Derive good/bad streams from the spec's own streaming examples (no payloads hard-coded here).
const streams = streamExamples();
const good = streams.filter((s) => !/"error"\s*:/.test(s.value as string));
const withError = streams.filter((s) => /"error"\s*:/.test(s.value as string));

function dataBlocks(text: string) {
  return sseBlocks(text).filter((b) => b.startsWith("data:") && !b.startsWith("data: [DONE]"));
}
function parsed(block: string): Record<string, any> {
  return JSON.parse(block.slice(5).trim());
}
function block(obj: unknown) {
  return `data: ${JSON.stringify(obj)}\n\n`;
}
const ids = (vs: { check: string; severity: string }[]) =>
  [...new Set(vs.filter((v) => v.severity !== "info").map((v) => v.check))].sort();

describe.each(good.map((g) => [`${g.operationId} ${g.name}`, g] as const))("broken variants of %s", (_n, g) => {
  const text = g.value as string;
  const op = g.operationId;
  const chunks = dataBlocks(text);
  const first = parsed(chunks[0]!);
  const finishIdx = chunks.findIndex((c) => parsed(c).choices?.some((x: any) => x.finish_reason != null));
  const usageIdx = chunks.findIndex((c) => parsed(c).usage != null);

  it("the original is clean", () => expect(checkStream(op, text)).toEqual([]));

  it("missing [DONE] -> sse_done_terminator", () => {
    expect(ids(checkStream(op, text.replace("data: [DONE]\n\n", "")))).toEqual(["sse_done_terminator"]);
  });
  it("[DONE] twice -> sse_done_terminator", () => {
    const vs = checkStream(op, `${text}data: [DONE]\n\n`);
    expect(ids(vs)).toEqual(["sse_done_terminator"]);
    expect(vs[0]!.message).toMatch(/duplicate/);
  });
  it("a chunk after [DONE] -> sse_done_terminator", () => {
    expect(ids(checkStream(op, text + chunks[0]))).toEqual(["sse_done_terminator"]);
  });
  it("non-JSON data -> sse_data_is_json with the event pointer", () => {
    const bad = text.replace(chunks[0]!, "data: {not json\n\n");
    const vs = checkStream(op, bad);
    expect(ids(vs)).toEqual(["sse_data_is_json"]);
    expect(vs[0]!.instancePath).toMatch(/^\/events\/\d+\/data$/);
  });
  it("a schema-breaking chunk -> sse_chunk_schema at /events/<n>/data/choices/0/index", () => {
    const c = parsed(chunks[0]!);
    c.choices[0].index = "zero";
    const vs = checkStream(op, text.replace(chunks[0]!, block(c)));
    expect(ids(vs)).toEqual(["sse_chunk_schema"]);
    expect(vs.every((v) => /^\/events\/\d+\/data\/choices\/0\/index$/.test(v.instancePath))).toBe(true);
    expect(vs[0]!.schemaPath).toMatch(/^#\/components\/schemas\/.+\/index\/type$/);
  });
  it("chunk id changes mid-stream -> sse_chunk_consistency", () => {
    const c = parsed(chunks[1] ?? chunks[0]!);
    c.id = `${String(first.id)}-other`;
    expect(ids(checkStream(op, text.replace(chunks[1] ?? chunks[0]!, block(c))))).toEqual(["sse_chunk_consistency"]);
  });
  it("model changes mid-stream -> sse_chunk_consistency", () => {
    const c = parsed(chunks[1] ?? chunks[0]!);
    c.model = `${String(first.model)}-other`;
    expect(ids(checkStream(op, text.replace(chunks[1] ?? chunks[0]!, block(c))))).toEqual(["sse_chunk_consistency"]);
  });
  it("a later chunk with a different finish_reason for the same choice -> sse_finish_reason", () => {
    expect(finishIdx).toBeGreaterThanOrEqual(0);
    const dup = chunks[finishIdx]!;
    const other = parsed(dup);
    const was = other.choices.find((x: any) => x.finish_reason != null);
    was.finish_reason = was.finish_reason === "stop" ? "length" : "stop";
    const vs = checkStream(op, text.replace(dup, dup + block(other)));
    expect(ids(vs)).toEqual(["sse_finish_reason"]);
    expect(vs.find((v) => v.check === "sse_finish_reason")!.message).toMatch(/a repeat must be the same value/);
  });
  it("the same finish_reason repeated on a later chunk (as OpenRouter does on the usage chunk) is fine", () => {
    const dup = chunks[finishIdx]!;
    expect(ids(checkStream(op, text.replace(dup, dup + dup)))).toEqual([]);
  });
  it("usage before the final chunk -> sse_usage_final", () => {
    expect(usageIdx).toBeGreaterThanOrEqual(0);
    const u = parsed(chunks[usageIdx]!).usage;
    const c = parsed(chunks[0]!);
    c.usage = u;
    expect(ids(checkStream(op, text.replace(chunks[0]!, block(c))))).toEqual(["sse_usage_final"]);
  });
  it("a content chunk after an error chunk -> sse_error_event", () => {
    const err = withError.find((w) => w.operationId === op);
    expect(err).toBeDefined();
    const errText = (err!.value as string).replace(/data: \[DONE\]\n\n$/, "");
    const errChunk = dataBlocks(errText).find((b) => /"error"\s*:/.test(b))!;
    const c = parsed(chunks[0]!);
    c.id = parsed(errChunk).id ?? c.id;
    c.model = parsed(errChunk).model ?? c.model;
    expect(ids(checkStream(op, errText + block(c)))).toEqual(["sse_error_event"]);
  });
  it("unterminated last event -> sse_not_truncated", () => {
    const vs = checkStream(op, text.replace(/\n\n$/, ""));
    expect(ids(vs)).toEqual(["sse_not_truncated"]);
  });
  it("recording cut short (complete: false) -> info only", () => {
    const cut = text.slice(0, text.indexOf(chunks[1] ?? chunks[0]!));
    const vs = checkStream(op, cut, { complete: false });
    expect(vs.length).toBeGreaterThan(0);
    expect(vs.every((v) => v.severity === "info")).toBe(true);
  });
  it("an undocumented event name -> sse_framing (warning)", () => {
    const vs = checkStream(op, text.replace(chunks[0]!, `event: surprise\n${chunks[0]}`));
    expect(ids(vs)).toEqual(["sse_framing"]);
  });
  it("a field line that is not SSE -> sse_framing", () => {
    expect(ids(checkStream(op, text.replace(chunks[0]!, `garbage line without colon\n${chunks[0]}`)))).toEqual([
      "sse_framing",
    ]);
  });
  it("an empty body -> sse_done_terminator", () => {
    expect(ids(checkStream(op, ""))).toEqual(["sse_done_terminator"]);
  });
  it("an undocumented chunk field is info (tolerant) and error (strict)", () => {
    const c = parsed(chunks[0]!);
    c.brand_new_field = 1;
    const t = text.replace(chunks[0]!, block(c));
    const tol = checkStream(op, t);
    expect(tol.map((v) => [v.check, v.severity])).toEqual([["no_undocumented_fields", "info"]]);
    expect(tol[0]!.instancePath).toMatch(/^\/events\/\d+\/data\/brand_new_field$/);
    expect(checkStream(op, t, { mode: "strict" }).map((v) => v.severity)).toEqual(["error"]);
  });
  it("stream: true answered with JSON, and stream answered to a non-stream request -> stream_mode_consistent", () => {
    const o = contract.operation(op)!;
    const r = checkExchange(exchange(o, { stream: false }, 200, "text/event-stream", text));
    expect(r.violations.map((v) => v.check)).toContain("stream_mode_consistent");
  });
});

describe("error streams", () => {
  it.each(withError.map((w) => [`${w.operationId} ${w.name}`, w] as const))(
    "%s is clean without [DONE] after the error chunk",
    (_n, w) => {
      expect(checkStream(w.operationId, w.value as string)).toEqual([]);
    },
  );
});

describe("hostile streams never throw", () => {
  it("huge single event beyond the buffer limit -> sse_framing error", () => {
    const op = good[0]!.operationId;
    const vs = checkStream(op, `data: ${"x".repeat(2_000_000)}`, { maxEventBytes: 1_000_000 });
    expect(ids(vs)).toContain("sse_framing");
  });
  it("random bytes", () => {
    const op = good[0]!.operationId;
    let s = "";
    for (let i = 0; i < 5000; i++) s += String.fromCharCode((i * 7919) % 65536);
    expect(() => checkStream(op, s)).not.toThrow();
  });
});

describe("StreamChecker.takeNew (live reporting)", () => {
  it("hands out each finding once, as soon as the event that causes it is fed; end() still returns all", () => {
    const g = good.find((s) => s.operationId === "createChatCompletion")!;
    const op = contract.operation(g.operationId)!;
    const media = op.responses.find((r) => r.status === "200")!.content.find((m) => m.kind === "sse")!;
    const blocks = sseBlocks((g.value as string).replace(/"index":0/, '"index":"zero"'));
    const c = new StreamChecker(contract, media);
    const firstData = blocks.findIndex((b) => b.startsWith("data: {"));
    for (const b of blocks.slice(0, firstData)) c.feed(b);
    expect(c.takeNew()).toEqual([]);
    c.feed(blocks[firstData]!);
    const live = c.takeNew();
    expect(live.map((v) => v.instancePath)).toEqual([`/events/0/data/choices/0/index`]);
    expect(c.takeNew()).toEqual([]);
    const all = c.end(); // no [DONE] fed: the end-of-stream check is new
    expect(c.takeNew().map((v) => v.check)).toEqual(["sse_done_terminator"]);
    expect(all.map((v) => v.check).sort()).toEqual(["sse_chunk_schema", "sse_done_terminator"]);
  });
});
