// The validating, recording proxy (src/cli/proxy/) against a fake upstream on loopback, and the
// `openai` SDK through the proxy in front of the mock. Responses come from the spec's own examples.
import { spawn } from "node:child_process";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/run";
import { proxyPerTest } from "../support/proxy";
import type { ExchangeRecord } from "../../src/conformance/index";
import { baseUrl as mockBaseUrl, hasServer } from "../support/mock";
import { allExamples, contract, sseBlocks } from "../support/conformance";

const KEY = "sk-or-v1-CANARY-proxy-0123456789abcdef";
const chatReq = allExamples().find(
  (e) => e.operationId === "createChatCompletion" && e.side === "request" && !(e.value as { stream?: boolean }).stream,
)!.value as Record<string, unknown>;
const chatJson = JSON.stringify(
  allExamples().find(
    (e) => e.operationId === "createChatCompletion" && e.status === 200 && e.mediaType === "application/json",
  )!.value,
);
const streams = allExamples().filter(
  (e) => e.operationId === "createChatCompletion" && e.mediaType === "text/event-stream",
);
const streamOk = streams.find((e) => !/"error"/.test(e.value as string))!.value as string;
const streamErr = streams.find((e) => /"error"/.test(e.value as string))!.value as string;
const tooMany = JSON.stringify(
  allExamples().find((e) => e.operationId === "createChatCompletion" && e.status === 429)!.value,
);

/** The blocks up to and including the first data event (the examples open with comment blocks), and the rest. */
function head(text: string): [string, string[]] {
  const blocks = sseBlocks(text);
  const i = blocks.findIndex((b) => b.startsWith("data:"));
  return [blocks.slice(0, i + 1).join(""), blocks.slice(i + 1)];
}

// ---------- fake upstream: the scenario is picked by the x-scenario request header ----------
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const seen: Seen[] = [];
let release: () => void = () => undefined;
let upstreamClosed: Promise<boolean> = Promise.resolve(false);
let up: http.Server;
let upUrl: string;

function scenario(req: IncomingMessage, res: ServerResponse, body: string) {
  const s = String(req.headers["x-scenario"] ?? "json");
  switch (s) {
    case "json":
      res.writeHead(200, { "content-type": "application/json", "x-generation-id": "gen-up-1" });
      return res.end(chatJson);
    case "json-bad": {
      const b = JSON.parse(chatJson);
      b.choices[0].index = "zero";
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(b));
    }
    case "gzip-bad":
    case "deflate-bad":
    case "br-bad": {
      const b = JSON.parse(chatJson);
      b.choices[0].index = "zero";
      const enc = s.slice(0, -4);
      const zip = enc === "gzip" ? gzipSync : enc === "deflate" ? deflateSync : brotliCompressSync;
      res.writeHead(200, { "content-type": "application/json", "content-encoding": enc });
      return res.end(zip(JSON.stringify(b)));
    }
    case "big-stream": {
      // Many events in few large writes: the checks fall behind the forwarding.
      const [first, rest] = head(streamOk);
      const data = rest.filter((b) => b.startsWith("data: {"));
      res.writeHead(200, { "content-type": "text/event-stream" });
      let out = first;
      for (let i = 0; i < 2000; i++) out += data[0]!;
      res.end(out + rest.slice(rest.indexOf(data[0]!) + 1).join(""));
      return;
    }
    case "stream":
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const b of sseBlocks(streamOk)) res.write(b);
      return res.end();
    case "stream-error":
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const b of sseBlocks(streamErr)) res.write(b);
      return res.end();
    case "stream-gated": {
      // First event, then nothing until the test releases the rest: a buffering proxy would deliver nothing.
      const [first, rest] = head(streamOk);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(first);
      new Promise<void>((r) => (release = r)).then(() => {
        for (const b of rest) res.write(b);
        res.end();
      });
      return;
    }
    case "stream-hang": {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(head(streamOk)[0]);
      upstreamClosed = new Promise((r) => res.on("close", () => r(!res.writableFinished)));
      return;
    }
    case "reset": {
      const [first, rest] = head(streamOk);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(first + rest[0]!.slice(0, 20), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    case "429":
      res.writeHead(429, {
        "content-type": "application/json",
        "retry-after": "7",
        "x-ratelimit-limit": "20",
        "x-ratelimit-remaining": "0",
        "set-cookie": ["a=1", "b=2"],
      });
      return res.end(tooMany);
    case "echo":
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ length: body.length }));
    default:
      res.writeHead(500);
      return res.end();
  }
}

beforeAll(async () => {
  up = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      scenario(req, res, body);
    });
  });
  await new Promise<void>((r) => up.listen(0, "127.0.0.1", r));
  upUrl = `http://127.0.0.1:${(up.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise<void>((r) => up.close(() => r())));

// ---------- proxy per test ----------
const px = proxyPerTest(() => upUrl, contract);
const start = px.start;
const recs = (): (ExchangeRecord & { error?: string })[] => px.records.map((l) => JSON.parse(l));
async function until(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}
/** Records written and exchanges reported (stream checks finish in a worker, after the record may be written). */
const settled = (n: number) => until(() => px.records.length >= n && px.proxy!.report.summary().exchanges >= n);
function post(
  scenarioName: string,
  body: unknown = chatReq,
  extra: Record<string, string> = {},
  init: RequestInit = {},
) {
  return fetch(`${px.proxy!.baseUrl}/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${KEY}`,
      "content-type": "application/json",
      "x-scenario": scenarioName,
      ...extra,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}

describe("proxy: transparent forwarding", () => {
  it("forwards JSON unchanged: path mapped onto the upstream base, body/headers as sent, key upstream", async () => {
    await start();
    seen.length = 0;
    const res = await post("json", chatReq, { "x-custom": "kept" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-generation-id")).toBe("gen-up-1");
    expect(await res.text()).toBe(chatJson);
    expect(seen[0]!.url).toBe("/api/v1/chat/completions");
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0]!.headers["x-custom"]).toBe("kept");
    expect(seen[0]!.headers.host).toBe(new URL(upUrl).host);
    expect(seen[0]!.body).toBe(JSON.stringify(chatReq));
    await settled(1);
    expect(recs()[0]!.response).toMatchObject({ status: 200, complete: true, body: JSON.parse(chatJson) });
    expect(px.logs).toEqual([]);
    expect(px.proxy!.report.summary()).toMatchObject({ exchanges: 1, violations: 0 });
  });

  it("passes a 429 through: status, Retry-After, rate-limit headers, both cookies, body byte for byte", async () => {
    await start();
    const res = await post("429");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("x-ratelimit-limit")).toBe("20");
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await res.text()).toBe(tooMany);
    await settled(1);
    expect(recs()[0]!.response!.status).toBe(429);
    expect(recs()[0]!.response!.headers!["set-cookie"]).toBe("[REDACTED]");
    expect(px.proxy!.report.summary().bySeverity.error).toBe(0); // the example is a documented 429
  });

  it("streams event by event: the first event reaches the client while the upstream still holds the rest", async () => {
    await start();
    const res = await post("stream-gated", { ...chatReq, stream: true });
    const reader = res.body!.getReader();
    const first = await Promise.race([
      reader.read(),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error("proxy buffered the stream")), 5000)),
    ]);
    let got = new TextDecoder().decode(first.value);
    expect(head(streamOk)[0].startsWith(got)).toBe(true);
    release();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      got += new TextDecoder().decode(value);
    }
    expect(got).toBe(streamOk); // comments included, byte for byte
    await settled(1);
    expect(recs()[0]!.response).toMatchObject({ complete: true, bodyText: streamOk });
    expect(px.proxy!.report.summary().bySeverity.error).toBe(0);
  });

  it("a stream with a mid-stream error chunk is forwarded unchanged and its checks pass", async () => {
    await start();
    const res = await post("stream-error", { ...chatReq, stream: true });
    expect(await res.text()).toBe(streamErr);
    await settled(1);
    expect(px.proxy!.report.summary().bySeverity.error).toBe(0);
    expect(px.logs).toEqual([]);
  });

  it("a client abort mid-stream reaches the upstream, and the record is marked incomplete", async () => {
    await start();
    const ac = new AbortController();
    const res = await post("stream-hang", { ...chatReq, stream: true }, {}, { signal: ac.signal });
    const reader = res.body!.getReader();
    await reader.read();
    const closed = upstreamClosed;
    ac.abort();
    expect(
      await Promise.race([closed, new Promise((r) => setTimeout(() => r("upstream never saw the abort"), 5000))]),
    ).toBe(true);
    await settled(1);
    const r = recs()[0]!;
    expect(r.response!.complete).toBe(false);
    expect(r.response!.bodyText).toContain("data: {");
    expect(px.proxy!.stats().clientAborts).toBe(1);
    // A cut recording is not a contract error (no "missing [DONE]" error).
    expect(px.proxy!.report.summary().bySeverity.error).toBe(0);
  });

  it("an upstream reset mid-stream reaches the client as a failed body, not a clean end", async () => {
    await start();
    const res = await post("reset", { ...chatReq, stream: true });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    await settled(1);
    expect(recs()[0]!.response!.complete).toBe(false);
  });

  it("an unreachable upstream gives the client a 502 in OpenRouter's envelope naming the cause", async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    await start({ upstream: `http://127.0.0.1:${port}/api/v1` });
    const res = await post("json");
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(502);
    expect(body.error.message).toContain("ECONNREFUSED");
    await settled(1);
    expect(recs()[0]!.error).toContain("ECONNREFUSED");
  });

  it("a request body over --max-body-bytes is streamed through whole, unchecked and unrecorded", async () => {
    await start({ maxBodyBytes: 1000 });
    const big = { ...chatReq, messages: [{ role: "user", content: "x".repeat(50_000) }] };
    const res = await post("echo", big);
    expect(await res.json()).toEqual({ length: JSON.stringify(big).length });
    expect(px.proxy!.stats().unchecked).toBe(1);
    expect(px.logs.join("\n")).toMatch(/over 1000 bytes: forwarded unchecked/);
    await px.proxy!.close();
    expect(px.records).toEqual([]);
  });
});

describe("proxy: validation", () => {
  it("reports a bad request field live (exchange id + pointer) and still forwards it by default", async () => {
    await start();
    seen.length = 0;
    const res = await post("json", { ...chatReq, temperature: 5 });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(px.logs).toHaveLength(1);
    expect(px.logs[0]).toMatch(/^[0-9a-f]{6}-1 ERROR +request_body_schema request\.body \/temperature: .*<= 2/);
  });

  it("reports a bad response field (JSON; gzip/deflate/br-encoded, the client getting the encoded bytes)", async () => {
    await start();
    await (await post("json-bad")).text();
    for (const enc of ["gzip", "deflate", "br"]) {
      const r = await post(`${enc}-bad`);
      expect(r.headers.get("content-encoding")).toBe(enc);
      expect(JSON.parse(await r.text()).choices[0].index).toBe("zero"); // fetch decoded what the proxy forwarded as is
    }
    await settled(4);
    const errs = px.logs.filter((l) => / ERROR +response_body_schema response\.body \/choices\/0\/index: /.test(l));
    expect(errs).toHaveLength(4);
    expect(recs()[3]!.response!.body).toMatchObject({ choices: [{ index: "zero" }] }); // recorded decoded
  });

  for (const checkThread of ["worker", "main"] as const)
    it(`checks that fall behind pause the upstream and catch up (${checkThread} thread)`, async () => {
      await start({ maxLagBytes: 1024, checkThread });
      const text = await (await post("big-stream", { ...chatReq, stream: true })).text();
      expect((text.match(/\ndata: \{/g) ?? []).length).toBeGreaterThan(2000);
      await settled(1);
      expect(recs()[0]!.response).toMatchObject({ complete: true, bodyText: text });
      // All 2000 repeated events were checked: finish_reason/consistency checks see every one of them.
      expect(px.proxy!.report.summary().bySeverity.error).toBe(0);
      expect(px.proxy!.report.summary().exchanges).toBe(1);
    });

  it("a response over --max-body-bytes reaches the client whole, is checked whole, recorded incomplete", async () => {
    await start({ maxBodyBytes: 4096 });
    const text = await (await post("big-stream", { ...chatReq, stream: true })).text();
    expect(text.length).toBeGreaterThan(100_000);
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    await settled(1);
    const r = recs()[0]!.response!;
    expect(r.complete).toBe(false);
    expect(r.bodyText!.length).toBeLessThan(text.length);
    expect(px.proxy!.report.summary().bySeverity.error).toBe(0); // the live check saw [DONE]
  });

  for (const checkThread of ["worker", "main"] as const)
    it(`reports stream findings live, with the event pointer (checks in the ${checkThread} thread)`, async () => {
      await start({ checkThread });
      const broken = streamOk.replace(/"index":0/, '"index":"zero"');
      expect(broken).not.toBe(streamOk);
      const srv = http.createServer((req, res) => {
        req.resume();
        res.writeHead(200, { "content-type": "text/event-stream" });
        const [first, rest] = head(broken);
        res.write(first);
        // The finding must be out before the stream ends.
        const t = setInterval(() => {
          if (px.logs.length) {
            clearInterval(t);
            for (const b of rest) res.write(b);
            res.end();
          }
        }, 5);
        setTimeout(() => clearInterval(t), 5000);
      });
      await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
      await px.proxy!.close();
      await start({ checkThread, upstream: `http://127.0.0.1:${(srv.address() as AddressInfo).port}/api/v1` });
      const text = await (await post("x", { ...chatReq, stream: true })).text();
      expect(text).toBe(broken);
      expect(px.logs[0]).toMatch(
        / ERROR +sse_chunk_schema response\.sse\[\d+\]\.data \/events\/\d+\/data\/choices\/0\/index: /,
      );
      await new Promise<void>((r) => srv.close(() => r()));
    });

  it("--enforce: an invalid request gets 400 in OpenRouter's envelope naming violations, not forwarded", async () => {
    await start({ enforce: true });
    seen.length = 0;
    const res = await post("json", { ...chatReq, temperature: 5, messages: [] });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-contract-proxy")).toBe("rejected");
    const body = (await res.json()) as {
      error: { code: number; message: string; metadata: { violations: { pointer: string; code: string }[] } };
    };
    expect(body.error.code).toBe(400);
    expect(body.error.message).toMatch(/^Invalid request: /);
    expect(body.error.metadata.violations.map((v) => v.pointer).sort()).toEqual(["/messages", "/temperature"]);
    const bad = await post("json", "{not json");
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { error: { metadata: { violations: { code: string }[] } } }).error.metadata.violations[0]!
        .code,
    ).toBe("invalid_json");
    expect(seen).toHaveLength(0);
    const ok = await post("json");
    expect(ok.status).toBe(200);
    expect(seen).toHaveLength(1);
    await settled(3);
    expect(recs()[0]!.response!.status).toBe(400);
    expect(px.proxy!.stats().enforced).toBe(2);
  });

  it("the API key never reaches a record, a log line or the report", async () => {
    await start({ redact: ["x-scenario"] });
    await (await post("json", { ...chatReq, temperature: 9 }, { "x-api-key": KEY })).text();
    await (await post("stream", { ...chatReq, stream: true })).text();
    await (await post("429")).text();
    await px.proxy!.close();
    expect(px.records).toHaveLength(3);
    const all = [...px.records, ...px.logs, px.proxy!.report.json(), px.proxy!.report.text({ showInfo: true })].join(
      "\n",
    );
    expect(all).not.toContain(KEY);
    expect(all).not.toContain("CANARY");
    expect(recs()[0]!.request.headers!.authorization).toBe("[REDACTED]");
    expect(recs()[0]!.request.headers!["x-scenario"]).toBe("[REDACTED]");
  });
});

describe("proxy CLI", () => {
  it("prints the URL, forwards, px.records, prints the summary on stop and exits 1 on an error finding", async () => {
    const dir = mkdtempSync(join(tmpdir(), "orc-proxy-"));
    const file = join(dir, "traffic.jsonl");
    const stop = new AbortController();
    let out = "";
    let err = "";
    const running = main(["proxy", "--upstream", upUrl, "--port", "0", "--record", file], {
      stdout: (s) => void (out += s),
      stderr: (s) => void (err += s),
      stop: stop.signal,
    });
    await until(() => /listening on (\S+)/.test(out));
    const base = /listening on (\S+)/.exec(out)![1]!;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const res = await fetch(`${base}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "x-scenario": "json" },
      body: JSON.stringify({ ...chatReq, top_p: 0 }),
    });
    expect(res.status).toBe(200);
    await res.text();
    await until(() => / ERROR /.test(out));
    stop.abort();
    expect(await running).toBe(1);
    expect(err).toBe("");
    expect(out).toMatch(/1 exchange checked \(1 line\): .*1 error/);
    expect(out).toMatch(/proxy: 1 exchange forwarded or answered; 0 rejected by --enforce, 0 upstream errors/);
    const recorded = readFileSync(file, "utf8");
    expect(recorded).toMatch(/^[^\n]+\n$/); // one JSONL line, ended once (the recorder supplies the newline)
    const lines = recorded.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(KEY);
    // `check` re-runs the recorded exchange to the same verdict.
    let out2 = "";
    expect(await main(["check", file], { stdout: (s) => void (out2 += s), stderr: () => undefined })).toBe(1);
    expect(out2).toMatch(/\/top_p/);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`on ${signal} the bin stops cleanly: in-flight stream cut, recorded incomplete, summary, exit 0`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "orc-proxy-sig-"));
      const file = join(dir, "t.jsonl");
      const root = join(import.meta.dirname, "../..");
      // One process, as the published bin runs (tsx's own CLI would stand between the signal and the proxy).
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "src/cli/main.ts", "proxy", "--upstream", upUrl, "--record", file],
        { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
      );
      let out = "";
      child.stdout!.on("data", (d) => (out += d));
      child.stderr!.on("data", (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
      await until(() => /listening on (\S+)/.test(out), 30_000);
      const base = /listening on (\S+)/.exec(out)![1]!;
      const res = await fetch(`${base}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "x-scenario": "stream-hang" },
        body: JSON.stringify({ ...chatReq, stream: true }),
      });
      const reader = res.body!.getReader();
      await reader.read();
      const closed = upstreamClosed;
      child.kill(signal);
      const code = await exited;
      expect(code).toBe(0);
      expect(await closed).toBe(true);
      await expect(reader.read()).rejects.toThrow();
      expect(out).toMatch(/1 exchange checked/);
      expect(out).toMatch(/0 client aborts, 1 cut at stop/);
      const rec = JSON.parse(readFileSync(file, "utf8").trim()) as ExchangeRecord;
      expect(rec.response!.complete).toBe(false);
    }, 60_000);
  }

  it("usage errors exit 2 with a message naming the flag", async () => {
    let err = "";
    const io = { stdout: () => undefined, stderr: (s: string) => void (err += s) };
    expect(await main(["proxy", "--upstream", "ftp://x"], io)).toBe(2);
    expect(err).toMatch(/--upstream must be an http or https URL/);
    expect(await main(["proxy", "--port", "70000"], io)).toBe(2);
    expect(err).toMatch(/--port must be an integer/);
    expect(await main(["proxy", "--record", "/nonexistent-dir/x.jsonl"], io)).toBe(2);
    expect(err).toMatch(/cannot open \/nonexistent-dir\/x\.jsonl/);
    expect(await main(["proxy", "--check-thread", "both"], io)).toBe(2);
    expect(err).toMatch(/--check-thread must be worker or main/);
  });
});

describe.skipIf(!hasServer)("openai SDK through the proxy in front of the mock", () => {
  it("records a clean session and a failing one; `check` agrees with the proxy on both", async () => {
    const dir = mkdtempSync(join(tmpdir(), "orc-proxy-sdk-"));
    const run = async (name: string, bad: boolean) => {
      const file = join(dir, `${name}.jsonl`);
      const lines: string[] = [];
      const p = await start({ upstream: mockBaseUrl, log: () => undefined, record: (l) => lines.push(l) });
      const client = new OpenAI({ apiKey: KEY, baseURL: p.baseUrl, maxRetries: 0, timeout: 10_000 });
      const body = chatReq as { model: string; messages: OpenAI.Chat.ChatCompletionMessageParam[] };
      const c = await client.chat.completions.create({ model: body.model, messages: body.messages });
      expect(c.object).toBe("chat.completion");
      let chunks = 0;
      for await (const ch of await client.chat.completions.create({
        model: body.model,
        messages: body.messages,
        stream: true,
      })) {
        expect(ch.object).toBe("chat.completion.chunk");
        chunks++;
      }
      expect(chunks).toBeGreaterThan(1);
      if (bad) {
        const e = await client.chat.completions
          .create({ model: body.model, messages: body.messages, temperature: 5 })
          .catch((x: unknown) => x);
        expect((e as InstanceType<typeof OpenAI.APIError>).status).toBe(400); // the mock's answer, passed through
      }
      await p.close(); // the records are complete once it has closed (closing again after the test is a no-op)
      writeFileSync(file, `${lines.join("\n")}\n`);
      expect(lines.join("\n")).not.toContain(KEY);
      let out = "";
      const code = await main(["check", file], { stdout: (s) => void (out += s), stderr: () => undefined });
      return { p, code, out, lines };
    };
    const clean = await run("clean", false);
    expect(clean.lines).toHaveLength(2);
    expect(clean.p.report.summary().bySeverity.error).toBe(0);
    expect(clean.code).toBe(0);
    const failing = await run("failing", true);
    expect(failing.lines).toHaveLength(3);
    expect(failing.p.report.failsOn("error")).toBe(true);
    expect(failing.code).toBe(1);
    expect(failing.out).toMatch(/\/temperature/);
  });
});
