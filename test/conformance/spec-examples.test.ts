import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkExchange, checkStream, validateRequest, validateResponse } from "../../src/conformance/index";
import { allExamples, exampleExchanges, streamExamples } from "../support/conformance";

const notInfo = <T extends { severity: string }>(vs: T[]) => vs.filter((v) => v.severity !== "info");

describe("every spec example conforms", () => {
  const examples = allExamples();
  it("finds examples for both operations, both sides, JSON and SSE", () => {
    expect(new Set(examples.map((e) => e.operationId)).size).toBeGreaterThanOrEqual(2);
    expect(examples.some((e) => e.side === "request")).toBe(true);
    expect(examples.some((e) => e.mediaType === "text/event-stream")).toBe(true);
    expect(examples.some((e) => e.status >= 400)).toBe(true);
  });
  it.each(examples.map((e) => [`${e.operationId} ${e.side} ${e.status || ""} ${e.mediaType} ${e.name}`, e] as const))(
    "%s",
    (_n, e) => {
      const vs =
        e.side === "request"
          ? validateRequest(e.operationId, e.value)
          : e.mediaType === "text/event-stream"
            ? checkStream(e.operationId, e.value as string)
            : validateResponse(e.operationId, e.status, e.mediaType, e.value);
      // Examples must be exact: not even an undocumented-field note.
      expect(vs).toEqual([]);
    },
  );
  it("example exchanges (request example + response example) pass checkExchange", () => {
    const exs = exampleExchanges();
    expect(exs.length).toBeGreaterThan(10);
    for (const ex of exs)
      expect({ id: ex.id, vs: notInfo(checkExchange(ex).violations) }).toEqual({ id: ex.id, vs: [] });
  });
});

describe("streaming examples are chunking-invariant (fast-check)", () => {
  const streams = streamExamples();
  it("any split of a valid stream gives zero violations", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: streams.length - 1 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 40 }),
        async (i, sizes) => {
          const e = streams[i]!;
          const bytes = new TextEncoder().encode(e.value as string);
          let pos = 0;
          let k = 0;
          const body = new ReadableStream<Uint8Array>({
            pull(c) {
              if (pos >= bytes.length) return c.close();
              const n = sizes[k++ % sizes.length]!;
              c.enqueue(bytes.subarray(pos, pos + n)); // may split inside a UTF-8 sequence
              pos += n;
            },
          });
          expect(await checkStream(e.operationId, body)).toEqual([]);
        },
      ),
      { numRuns: 300, seed: 20261126 },
    );
  });
  it("CRLF line endings, extra comments and U+2028 inside strings change nothing", () => {
    for (const e of streams) {
      const text = e.value as string;
      expect(checkStream(e.operationId, text.replace(/\n/g, "\r\n"))).toEqual([]);
      expect(
        checkStream(
          e.operationId,
          `: keep-alive\n\n${text.replace(/\n\ndata:/, "\n\n: OPENROUTER PROCESSING\n\ndata:")}`,
        ),
      ).toEqual([]);
      expect(checkStream(e.operationId, text.replace(/"content":"([^"]*)"/, '"content":"$1\u2028x"'))).toEqual([]);
    }
  });
});
