// The library API (`openrouter-contract/replay`): matching, the unmatched 404, streams (paced, truncated), side checks.
import { afterEach, describe, expect, it } from "vitest";
import { createReplayServer, type ReplayHandle } from "../../src/replay/index";
import { chatBody, completion, errorRecord, jsonRecord, post, SSE, streamRecord } from "./fixtures";

let server: ReplayHandle | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(opts: Parameters<typeof createReplayServer>[0]) {
  server = await createReplayServer(opts);
  return server;
}

describe("createReplayServer", () => {
  it("answers a JSON-equal body (key order ignored) with the recorded status, headers and body", async () => {
    const s = await start({ records: [jsonRecord("a", "hello", "Hi there"), jsonRecord("b", "bye", "Bye")] });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const reordered = { messages: [{ content: "bye", role: "user" }], model: "openai/gpt-4o-mini" };
    const res = await post(s.url, reordered);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-generation-id")).toBe("gen-b");
    expect(await res.text()).toBe(JSON.stringify(completion("Bye")));
    await s.close();
    expect(s.stats()).toMatchObject({ recordings: 2, requests: 1, matched: 1, unmatched: 0, served: 1 });
    expect(s.report.summary().bySeverity.error).toBe(0);
  });

  it("answers the bare path and without any key (never needed)", async () => {
    const s = await start({ records: [jsonRecord("a", "hello", "Hi")] });
    const bare = s.url.replace(/\/api\/v1$/, "");
    const res = await fetch(`${bare}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(chatBody("hello")),
    });
    expect(res.status).toBe(200);
  });

  it("an unmatched request gets a 404 envelope naming the closest recording and the first difference", async () => {
    const records = [jsonRecord("far", "something else entirely", "x"), jsonRecord("near", "hello", "Hi")];
    const s = await start({ records });
    const res = await post(s.url, chatBody("hellO"));
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: number; message: string; metadata: Record<string, unknown> } };
    expect(body.error.code).toBe(404);
    expect(body.error.metadata).toMatchObject({
      replay_error: "NO_RECORDING_MATCHED",
      closest: "near",
      pointer: "/messages/0/content",
      expected: "hello",
      actual: "hellO",
    });
    expect(body.error.message).toContain(
      'closest: near; first difference at body /messages/0/content: expected "hello"',
    );
    // A field the recording lacks: the pointer names it, "(absent)" on the recording's side.
    const extra = await (await post(s.url, { ...chatBody("hello"), temperature: 0.5 })).json();
    expect(extra.error.metadata).toMatchObject({ closest: "near", pointer: "/temperature", actual: 0.5 });
    expect(extra.error.message).toContain("expected (absent), got 0.5");
    await s.close();
    expect(s.stats()).toMatchObject({ unmatched: 2, matched: 0 });
    expect(s.report.violations.filter((v) => v.check === "replay_unmatched").map((v) => v.instancePath)).toEqual([
      "/messages/0/content",
      "/temperature",
    ]);
    expect(s.report.failsOn("error")).toBe(true);
  });

  it("--match model+messages ignores other fields; path ignores the body", async () => {
    const s = await start({ records: [jsonRecord("a", "hello", "Hi")], match: "model+messages" });
    expect((await post(s.url, { ...chatBody("hello"), temperature: 1.5, seed: 3 })).status).toBe(200);
    const miss = await (await post(s.url, { ...chatBody("hello"), model: "x/y" })).json();
    expect(miss.error.metadata).toMatchObject({ pointer: "/model", match: "model+messages" });
    await s.close();
    const p = await start({ records: [jsonRecord("a", "hello", "Hi")], match: "path" });
    expect((await post(p.url, chatBody("anything"))).status).toBe(200);
  });

  it("serves same-key recordings in order, cycling; --sequence enforces the recorded order", async () => {
    const records = [jsonRecord("r1", "q", "first"), jsonRecord("r2", "q", "second"), jsonRecord("r3", "z", "z")];
    const s = await start({ records });
    const answers: string[] = [];
    for (let i = 0; i < 3; i++)
      answers.push((await (await post(s.url, chatBody("q"))).json()).choices[0].message.content);
    expect(answers).toEqual(["first", "second", "first"]);
    await s.close();
    const seq = await start({ records, sequence: true });
    const miss = await (await post(seq.url, chatBody("z"))).json();
    expect(miss.error.metadata).toMatchObject({ closest: "r1", pointer: "/messages/0/content", expected: "q" });
    expect(miss.error.message).toContain("does not match the next recording in sequence");
    expect((await post(seq.url, chatBody("q"))).status).toBe(200);
    expect((await post(seq.url, chatBody("q"))).status).toBe(200);
    expect((await (await post(seq.url, chatBody("z"))).json()).choices[0].message.content).toBe("z");
  });

  it("answers loopback host names only (DNS-rebinding guard)", async () => {
    const s = await start({ records: [jsonRecord("a", "hello", "Hi")] });
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(`${s.url}/chat/completions`);
      const req = request(
        { host: u.hostname, port: u.port, path: u.pathname, method: "POST", headers: { host: "evil.example:80" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify(chatBody("hello")));
    });
    expect(status).toBe(403);
    expect(s.stats().requests).toBe(0);
  });

  it("replays an error recording with its status and envelope", async () => {
    const s = await start({ records: [errorRecord("e", "q", 429, "Rate limit exceeded")] });
    const res = await post(s.url, chatBody("q"));
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({ error: { code: 429, message: "Rate limit exceeded" } });
  });
});

async function chunks(res: Response): Promise<{ text: string; at: number }[]> {
  const out: { text: string; at: number }[] = [];
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push({ text: dec.decode(value, { stream: true }), at: performance.now() });
  }
}

describe("streams", () => {
  it("replays the stream byte for byte, one write per event, paced", async () => {
    const s = await start({ records: [streamRecord("s", "count")], pace: 40 });
    const t0 = performance.now();
    const res = await post(s.url, chatBody("count", { stream: true }));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const got = await chunks(res);
    const elapsed = performance.now() - t0;
    expect(got.map((c) => c.text).join("")).toBe(SSE);
    // Nine events, eight gaps of 40 ms: at least 320 ms (timers never fire early), and events arrive apart.
    expect(elapsed).toBeGreaterThanOrEqual(315);
    expect(got.length).toBeGreaterThanOrEqual(5);
    const gaps = got.slice(1).map((c, i) => c.at - got[i]!.at);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(30);
  });

  it("unpaced by default: the same bytes", async () => {
    const s = await start({ records: [streamRecord("s", "count")] });
    const text = await (await post(s.url, chatBody("count", { stream: true }))).text();
    expect(text).toBe(SSE);
  });

  it("a recording cut short (complete: false) ends the connection after the recorded bytes", async () => {
    const cut = SSE.split(/(?<=\n\n)/)
      .slice(0, 3)
      .join(""); // the two comments and one chunk, then nothing
    const s = await start({ records: [streamRecord("t", "count", cut, false)] });
    const res = await post(s.url, chatBody("count", { stream: true }));
    const reader = res.body!.getReader();
    let text = "";
    const dec = new TextDecoder();
    const err = await (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return undefined;
          text += dec.decode(value, { stream: true });
        }
      } catch (e) {
        return e as Error;
      }
    })();
    expect(text).toBe(cut);
    expect(err).toBeInstanceOf(Error);
    await s.close();
    // The checker knows the recording was cut: the missing [DONE] is not reported as a server fault.
    expect(cut.endsWith("\n\n")).toBe(true);
    expect(s.report.violations.filter((v) => v.severity === "error")).toEqual([]);
  });
});

describe("side checks", () => {
  it("a recording that no longer conforms is reported as drift; the client still gets it as recorded", async () => {
    const stale = jsonRecord("stale", "q", "x");
    const body = stale.response!.body as Record<string, unknown>;
    delete body.choices;
    body.object = "chat.completion";
    const s = await start({ records: [stale, jsonRecord("fresh", "ok", "fine")] });
    const res = await post(s.url, chatBody("q"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(body);
    expect((await post(s.url, chatBody("ok"))).status).toBe(200);
    await s.close();
    const errors = s.report.violations.filter((v) => v.severity === "error");
    expect(errors.map((v) => [v.exchange, v.check, v.instancePath])).toEqual([
      ["stale", "response_body_schema", "/choices"],
    ]);
    expect(s.stats().withFindings).toBe(1);
  });

  it("checks the request the client sent: a bad body is reported even when a recording answers it", async () => {
    const rec = jsonRecord("a", "q", "x");
    (rec.request.body as Record<string, unknown>).temperature = 9;
    const s = await start({ records: [rec] });
    expect((await post(s.url, { ...chatBody("q"), temperature: 9 })).status).toBe(200);
    await s.close();
    expect(s.report.violations.map((v) => [v.check, v.location, v.instancePath])).toContainEqual([
      "request_body_schema",
      "request.body",
      "/temperature",
    ]);
  });
});
