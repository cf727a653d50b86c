// SSE line endings in the stream checker: CRLF, LF and a lone CR are all line ends (SSE spec), in any chunking, and
// a CR-only body is checked in linear time (it was quadratic: 4 MB 3.4 s, 8 MB 18.9 s).
import { describe, expect, it } from "vitest";
import { checkStream, StreamChecker } from "../../src/conformance/index";
import { LineEndings } from "../../src/conformance/sse-lines";
import { contract, streamExamples } from "../support/conformance";

const good = streamExamples().filter((s) => !/"error"\s*:/.test(s.value as string));
const media = contract.operations
  .find((o) => o.operationId === "createChatCompletion")!
  .responses.find((r) => r.status === "200")!
  .content.find((m) => m.kind === "sse")!;
const ending = { LF: "\n", CRLF: "\r\n", CR: "\r" };

describe("line endings", () => {
  for (const [name, eol] of Object.entries(ending)) {
    it(`${name}: every good example checks clean, whole and in 1 to 7 character chunks`, () => {
      for (const g of good) {
        const text = (g.value as string).replace(/\r\n|\r|\n/g, eol);
        expect(checkStream(g.operationId, text), `${g.operationId} ${g.name}`).toEqual([]);
        for (const size of [1, 2, 7]) {
          const c = new StreamChecker(contract, g.operationId === "createChatCompletion" ? media : findMedia(g));
          for (let i = 0; i < text.length; i += size) c.feed(text.slice(i, i + size));
          expect(c.end(), `${g.operationId} ${g.name} in ${size}s`).toEqual([]);
        }
      }
    });
  }

  it("a CR at the end of one chunk and an LF at the start of the next are one line end", () => {
    const l = new LineEndings();
    expect([l.feed("a\r"), l.feed("\nb\r"), l.feed("\r"), l.feed("\n"), l.feed("c\r\n\r\n")]).toEqual([
      "a\n",
      "b\n",
      "\n",
      "",
      "c\n\n",
    ]);
  });

  it("a CR-only body takes linear time: 2x the lines, well under 4x the time", () => {
    const body = (n: number) => `${": keep-alive\r".repeat(n)}data: [DONE]\r\r`;
    const time = (n: number) => {
      const text = body(n);
      const t0 = performance.now();
      checkStream("createChatCompletion", text);
      return performance.now() - t0;
    };
    time(1000); // warm up
    const t1 = time(40_000);
    const t2 = time(80_000);
    // Quadratic before: 40k lines 162 ms, 80k lines 970 ms (6x). Linear now: a few ms each.
    expect(t2).toBeLessThan(Math.max(100, 3 * t1));
  });
});

function findMedia(g: { operationId: string }) {
  return contract.operations
    .find((o) => o.operationId === g.operationId)!
    .responses.find((r) => r.status === "200")!
    .content.find((m) => m.kind === "sse")!;
}
