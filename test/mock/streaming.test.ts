// Real SSE over HTTP: events arrive one by one (paced), comments first, [DONE] last, every data payload validates
// against the operation's chunk schema (found via the text/event-stream media type's contentSchema), and a client
// that disconnects mid-stream stops the writer without leaking timers or sockets.
import { describe, expect, it } from "vitest";
import { startMock } from "../../mock/server";
import {
  baseUrl,
  chunkSchemaOf,
  dataOf,
  deref,
  exampleValue,
  hasServer,
  isComment,
  post,
  readEvents,
  splitTranscript,
  streamingOps,
  validatorFor,
  type Op,
} from "../support/mock";

const DELAY = 40;

function sseExamples(op: Op): [string, string][] {
  const media = op.responses["200"]!.content["text/event-stream"];
  return Object.entries<any>(media.examples ?? {}).map(([k, e]) => [k, exampleValue(e)]);
}

describe.skipIf(!hasServer)("streaming (stream: true)", () => {
  it("both operations declare a text/event-stream 200", () => {
    expect(streamingOps.length).toBeGreaterThanOrEqual(2);
  });

  for (const op of streamingOps) {
    describe(op.operationId, () => {
      const validateChunk = validatorFor(chunkSchemaOf(op));
      const examples = sseExamples(op);

      it("has a normal stream example and a mid-stream error example", () => {
        expect(examples.some(([, t]) => /data: \[DONE\]\s*$/.test(t))).toBe(true);
        expect(examples.some(([, t]) => !t.includes("[DONE]"))).toBe(true);
      });

      it("streams the default example event by event: first event well before the end", async () => {
        const res = await post(op.path, { ...op.validBody, stream: true }, { "x-mock-stream-delay-ms": String(DELAY) });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
        expect(res.headers.get("content-length")).toBeNull();
        const { events, endedAt } = await readEvents(res);
        const expected = splitTranscript(examples[0]![1]);
        expect(events.map((e) => e.raw)).toEqual(expected);
        // With DELAY ms between n events, the first one arrives ~(n-1)*DELAY before the end.
        expect(endedAt - events[0]!.at).toBeGreaterThanOrEqual((events.length - 1) * DELAY * 0.7);
        // Arrival times are increasing with gaps: not one buffered body.
        const gaps = events.slice(1).map((e, i) => e.at - events[i]!.at);
        expect(gaps.filter((g) => g >= DELAY * 0.5).length).toBeGreaterThanOrEqual(Math.floor(gaps.length / 2));
        // The generation id header is the chunks' id.
        const firstData = events.find((e) => !isComment(e.raw))!;
        expect(res.headers.get("x-generation-id")).toBe(JSON.parse(dataOf(firstData.raw)).id);
      });

      for (const [key, transcript] of examples) {
        it(`example '${key}': comments first, [DONE] last (or an error chunk ends it), chunks validate`, async () => {
          const res = await post(
            op.path,
            { ...op.validBody, stream: true },
            { prefer: `example=${key}`, "x-mock-stream-delay-ms": "1" },
          );
          expect(res.status).toBe(200);
          const raws = (await readEvents(res)).events.map((e) => e.raw);
          expect(raws).toEqual(splitTranscript(transcript));
          const firstData = raws.findIndex((r) => !isComment(r));
          const lastComment = raws.map(isComment).lastIndexOf(true);
          expect(firstData).toBeGreaterThanOrEqual(0);
          expect(lastComment).toBeLessThan(firstData);
          const data = raws.filter((r) => !isComment(r)).map(dataOf);
          const done = data.indexOf("[DONE]");
          if (done >= 0) {
            expect(done).toBe(data.length - 1);
          } else {
            expect(JSON.parse(data.at(-1)!).error).toBeDefined();
          }
          for (const payload of data.filter((d) => d !== "[DONE]")) {
            const chunk = JSON.parse(payload);
            expect(validateChunk(chunk), `${payload}\n${JSON.stringify(validateChunk.errors)}`).toBe(true);
          }
        });
      }

      it("events end in exactly one blank line, a finished stream in `data: [DONE]\\n\\n` (as real ones)", async () => {
        for (const [key, transcript] of examples) {
          const res = await post(
            op.path,
            { ...op.validBody, stream: true },
            { prefer: `example=${key}`, "x-mock-stream-delay-ms": "0" },
          );
          const text = await res.text();
          expect(text, key).not.toMatch(/\n\n\n/);
          expect(text.endsWith("\n\n") && !text.endsWith("\n\n\n"), key).toBe(true);
          if (transcript.includes("[DONE]")) expect(text.endsWith("data: [DONE]\n\n"), key).toBe(true);
        }
      });

      it("a non-200 Prefer code on a stream request answers the JSON error example", async () => {
        const res = await post(op.path, { ...op.validBody, stream: true }, { prefer: "code=429" });
        expect(res.status).toBe(429);
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        expect((await res.json()).error.code).toBe(429);
      });
    });
  }
});

describe.skipIf(!!process.env.TEST_SKIP_MOCK)("client disconnect (private mock instance)", () => {
  it("stops the writer, clears its timer, closes the socket; close() stops everything", async () => {
    const mock = await startMock({
      port: 0,
      pacingMs: 200,
      ...(process.env.MOCK_SPEC ? { spec: process.env.MOCK_SPEC } : {}),
    });
    try {
      const op = streamingOps[0]!;
      // node:http with agent: false, so the only socket to the mock is this request's one (fetch/undici may open
      // spare idle connections, which would blur the socket count).
      const { request } = await import("node:http");
      const req = request(mock.baseUrl + op.path, {
        method: "POST",
        agent: false,
        headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
      });
      const res = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
        req.on("response", resolve);
        req.on("error", reject);
        req.end(JSON.stringify({ ...op.validBody, stream: true }));
      });
      expect(res.statusCode).toBe(200);
      await new Promise((r) => res.once("data", r)); // first event
      expect(mock.stats()).toMatchObject({ activeStreams: 1, pendingTimers: 1, openSockets: 1 });
      req.on("error", () => {});
      req.destroy(); // the client disconnects mid-stream
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline && (mock.stats().activeStreams > 0 || mock.stats().openSockets > 0))
        await new Promise((r) => setTimeout(r, 20));
      const s = mock.stats();
      expect(s).toMatchObject({
        activeStreams: 0,
        pendingTimers: 0,
        openSockets: 0,
        streamsAborted: 1,
        streamsCompleted: 0,
      });
      // The mock still answers after the disconnect.
      const again = await fetch(mock.baseUrl + op.path, {
        method: "POST",
        headers: { authorization: "Bearer sk-test", "content-type": "application/json", "x-mock-stream-delay-ms": "0" },
        body: JSON.stringify({ ...op.validBody, stream: true }),
      });
      expect((await again.text()).length).toBeGreaterThan(0);
    } finally {
      const { prismPid, engine } = mock;
      await mock.close();
      // With MOCK_PRISM=child, Prism is a child process: close() must have stopped it.
      if (engine === "child") expect(() => process.kill(prismPid, 0)).toThrow();
    }
  });
});

describe.skipIf(!hasServer)("the shared mock after garbage", () => {
  // The tests' shared mock (no second one to start): after the garbage it must still serve every other test.
  it("garbage on the socket gets a 400 and the mock keeps serving", async () => {
    const { connect } = await import("node:net");
    const port = Number(new URL(baseUrl).port);
    const reply = await new Promise<string>((resolve) => {
      const s = connect(port, "127.0.0.1", () => s.write("NOT HTTP AT ALL\r\n\r\n"));
      let out = "";
      s.on("data", (d) => (out += d));
      s.on("close", () => resolve(out));
      s.on("error", () => resolve(out));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const op = streamingOps[0]!;
    const res = await fetch(baseUrl + op.path, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify(op.validBody),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  });
});

void deref;
