/**
 * The client's SSE decoder against eventsource-parser 3 (the parser it replaced, still the conformance checks'):
 * the same `data:` payloads for any text built from SSE's tricky pieces and any split of its bytes, and the same
 * linear cost and overflow signal on long lines.
 */
import { createParser } from "eventsource-parser";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSseDecoder } from "../../src/client/stream/decoder";

const enc = new TextEncoder();

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length)) {
    if (c > prev && c <= bytes.length) out.push(bytes.subarray(prev, c));
    prev = Math.max(prev, Math.min(c, bytes.length));
  }
  return out;
}

function ours(pieces: Uint8Array[]): string[] {
  const got: string[] = [];
  const d = createSseDecoder(
    1 << 20,
    (s) => void got.push(s),
    () => got.push("<overflow>"),
  );
  for (const p of pieces) d.feed(p);
  d.end();
  return got;
}

/** What the client fed eventsource-parser before: a streaming TextDecoder, then the rest and a blank line. */
function reference(pieces: Uint8Array[]): string[] {
  const got: string[] = [];
  const text = new TextDecoder();
  const parser = createParser({ onEvent: (ev) => void got.push(ev.data) });
  for (const p of pieces) parser.feed(text.decode(p, { stream: true }));
  parser.feed(`${text.decode()}\n\n`);
  return got;
}

// Line endings of every kind, field names and near-misses, comments, multi-byte text, a BOM.
const token = fc.constantFrom(
  "data:",
  "data: ",
  "data",
  "data:  x",
  "datum: y",
  "Data: z",
  "event: e",
  "id: 7",
  "retry: 10",
  ": OPENROUTER PROCESSING",
  ":",
  '{"a":1}',
  "[DONE]",
  " ",
  "x",
  "é🌍",
  "\uFEFF",
  "\n",
  "\n",
  "\r",
  "\r\n",
  "\n\n",
  "\r\r",
);

describe("SSE decoder", () => {
  it("gives eventsource-parser's payloads for any text and any split (2000 seeded runs)", () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), fc.array(fc.nat(400), { maxLength: 12 }), (parts, cuts) => {
        const pieces = split(enc.encode(parts.join("")), cuts);
        expect(ours(pieces)).toEqual(reference(pieces));
      }),
      { numRuns: 2000, seed: 20261206 },
    );
  });

  it("a CR at the end of one read and an LF opening the next are one line ending", () => {
    const pieces = [enc.encode("data: a\r"), enc.encode("\ndata: b\r"), enc.encode("\r")];
    expect(ours(pieces)).toEqual(reference(pieces));
    expect(ours(pieces)).toEqual(["a\nb"]);
  });

  it("signals overflow once a line grows past maxLineLength, and not before", () => {
    const events: string[] = [];
    let overflow = 0;
    const d = createSseDecoder(
      100,
      (s) => void events.push(s),
      () => overflow++,
    );
    d.feed(enc.encode(`data: ${"x".repeat(50)}\n\ndata: ${"y".repeat(40)}`));
    expect([events.length, overflow]).toEqual([1, 0]);
    d.feed(enc.encode("y".repeat(60)));
    expect(overflow).toBe(1);
  });

  it("a 4 MB line in 1 KiB reads stays linear (joined once, at its end)", () => {
    const got: string[] = [];
    const d = createSseDecoder(
      8 << 20,
      (s) => void got.push(s),
      () => got.push("<overflow>"),
    );
    const piece = enc.encode("x".repeat(1024));
    const t = performance.now();
    d.feed(enc.encode("data: "));
    for (let i = 0; i < 4096; i++) d.feed(piece);
    d.feed(enc.encode("\n\n"));
    expect(got.map((s) => s.length)).toEqual([4 << 20]);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
