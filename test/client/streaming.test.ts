/** SSE parsing: network chunking must never change the parsed chunks (fast-check), plus framing edge cases. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Stream, StreamTruncatedError, type StreamControl } from "../../src/client/index";
import { transcript } from "../support/fault-server";

const enc = new TextEncoder();

function ctl(): StreamControl {
  return {
    abort() {},
    done() {},
    readError: (e) => {
      throw e;
    },
    idleTimeoutMs: 0,
    maxLineLength: 1 << 20,
  };
}

/** A Response whose body delivers `bytes` split at the given (sorted, unique) cut points. */
function responseFrom(bytes: Uint8Array, cuts: number[]): Response {
  const pieces: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts, bytes.length]) {
    if (c > prev) pieces.push(bytes.slice(prev, c));
    prev = c;
  }
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(pieces[i++]!);
      else controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

async function collect(res: Response): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const c of new Stream(res, ctl())) out.push(c);
  return out;
}

function expectedChunks(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((b) => b.startsWith("data: ") && b !== "data: [DONE]")
    .map((b) => JSON.parse(b.slice(6)));
}

describe("SSE chunking property", () => {
  const parts = ["Hel", "lo", " wörld 🌍", "", "日本語のテキスト", "tab\tand \\n escapes", "€uro"];
  const lf = transcript(parts);
  // Same events with CRLF line endings (valid SSE).
  const crlf = lf.replace(/\n/g, "\r\n");
  const expected = expectedChunks(lf);

  it("the unsplit transcript yields every data chunk, skips comments, ends at [DONE]", async () => {
    const got = await collect(responseFrom(enc.encode(lf), []));
    expect(got).toEqual(expected);
    expect(got).toHaveLength(parts.length + 2);
    expect((got.at(-1) as { choices: unknown[] }).choices).toEqual([]);
  });

  for (const [name, text] of [
    ["LF", lf],
    ["CRLF", crlf],
  ] as const) {
    it(`any split of the ${name} transcript into network chunks gives the same chunks (1000 seeded runs)`, async () => {
      const bytes = enc.encode(text);
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }),
          async (cuts) => {
            cuts.sort((a, b) => a - b);
            expect(await collect(responseFrom(bytes, cuts))).toEqual(expected);
          },
        ),
        { numRuns: 1000, seed: 20261126 },
      );
    });
  }

  it("byte-by-byte delivery (splits inside multi-byte UTF-8 characters)", async () => {
    const bytes = enc.encode(lf);
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(await collect(responseFrom(bytes, cuts))).toEqual(expected);
  });

  it("a final [DONE] without its blank line still ends cleanly", async () => {
    const text = lf.replace(/data: \[DONE\]\n\n$/, "data: [DONE]");
    expect(await collect(responseFrom(enc.encode(text), []))).toEqual(expected);
  });

  it("truncation at every byte before [DONE] is a StreamTruncatedError, never a silent end", async () => {
    const bytes = enc.encode(lf);
    const doneAt = lf.lastIndexOf("data: [DONE]");
    const doneByte = enc.encode(lf.slice(0, doneAt)).length;
    for (let end = 0; end < doneByte + 6; end += 7) {
      await expect(collect(responseFrom(bytes.slice(0, end), []))).rejects.toBeInstanceOf(StreamTruncatedError);
    }
  });

  it("[DONE] settles the stream once, without cancelling, sharing a network read or alone", async () => {
    const bytes = enc.encode(lf);
    const doneByte = enc.encode(lf.slice(0, lf.lastIndexOf("data: [DONE]"))).length;
    for (const cuts of [[], [doneByte], [doneByte - 1]]) {
      const calls: string[] = [];
      const s = new Stream(responseFrom(bytes, cuts), {
        ...ctl(),
        abort: () => void calls.push("abort"),
        done: () => void calls.push("done"),
      });
      const got: unknown[] = [];
      for await (const c of s) got.push(c);
      expect(got).toEqual(expected);
      expect(calls).toEqual(["done"]);
      expect(await s.next()).toEqual({ done: true, value: undefined });
      expect(calls).toEqual(["done"]);
    }
  });

  it("a Stream can only be iterated once", async () => {
    const s = new Stream(responseFrom(enc.encode(lf), []), ctl());
    s[Symbol.asyncIterator]();
    expect(() => s[Symbol.asyncIterator]()).toThrow(TypeError);
  });
});
