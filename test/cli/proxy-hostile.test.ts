// The proxy under a hostile upstream (issue 18): a raw TCP upstream on loopback sends what node:http would not, and
// an http one echoes the key, sends huge or odd streams. Nothing may crash the proxy, stall it, grow its memory with
// the payload, or print the key. Canary key below; every test uses small inputs (growth shown with 2x inputs).
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { createGunzip, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pump } from "../../src/cli/proxy/pump";
import { RecordStage } from "../../src/cli/proxy/record";
import { proxyPerTest } from "../support/proxy";
import { contract } from "../support/conformance";
import { chunk, sse } from "../support/fault-server";

const KEY = "sk-or-v1-CANARY1234567890abcdef";
const streamBody = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true });
const done = "data: [DONE]\n\n";

// ---------- raw upstream: the scenario is the request path's last segment ----------
const rawReplies: Record<string, string> = {
  ctl: "HTTP/1.1 200 O\x01K\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
  del: "HTTP/1.1 200 O\x7fK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}",
  "bad-header": "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-bad: a\x01b\r\ncontent-length: 2\r\n\r\n{}",
  upgrade: "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n",
};
let raw: net.Server;
let rawUrl: string;
// ---------- http upstream: the x-s header picks the scenario ----------
let up: http.Server;
let upUrl: string;
const hits: string[] = [];

function streamOf(events: string[]): string {
  return events.join("") + done;
}
function scenario(req: http.IncomingMessage, res: http.ServerResponse) {
  const s = String(req.headers["x-s"]);
  const n = Number(req.headers["x-n"] ?? 0);
  const sseHead = { "content-type": "text/event-stream" };
  switch (s) {
    case "big": {
      // n small events in 1 KB writes: the checks fall behind the forwarding.
      res.writeHead(200, sseHead);
      const ev = sse(chunk("y".repeat(200)));
      let i = 0;
      const write = () => {
        while (i < n) {
          i++;
          if (!res.write(ev)) return void res.once("drain", write);
        }
        res.end(sse(chunk("", {}, { finish_reason: "stop" })) + done);
      };
      return write();
    }
    case "mixed": {
      // n events, non-ASCII text, a bad one now and then, sent in 777-byte writes (events and characters cut).
      const evs = Array.from({ length: n }, (_, i) =>
        i % 97 === 5
          ? "data: {not json\n\n"
          : i % 89 === 7
            ? sse({ ...chunk("x"), choices: 7 })
            : sse(chunk(`é€😀 ${i}`)),
      );
      const body = Buffer.from(streamOf(evs));
      res.writeHead(200, sseHead);
      let at = 0;
      const write = () => {
        while (at < body.length) {
          const ok = res.write(body.subarray(at, (at += 777)));
          if (!ok) return void res.once("drain", write);
        }
        res.end();
      };
      return write();
    }
    case "alt": {
      const a = "a".repeat(n);
      const b = "b".repeat(n);
      res.writeHead(200, sseHead);
      return res.end(streamOf([0, 1, 2, 3, 4, 5].map((i) => sse(chunk("x", { model: i % 2 ? a : b })))));
    }
    case "cr":
      res.writeHead(200, sseHead);
      return res.end(
        `: OPENROUTER PROCESSING\n\n${sse(chunk("a"))}${sse(chunk("", {}, { finish_reason: "stop" }))}${done}`.replace(
          /\n/g,
          "\r",
        ),
      );
    case "echo-sse-model":
      res.writeHead(200, sseHead);
      return res.end(streamOf([sse(chunk("x")), sse(chunk("x", { model: KEY }))]));
    case "echo-sse-text":
      res.writeHead(200, sseHead);
      return res.end(`data: nope ${KEY}\n\n${done}`);
    case "echo-json-text":
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(`not json ${KEY}`);
    case "echo-json-type":
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ id: 1, object: KEY, created: KEY, model: "m", choices: KEY, [KEY]: 1 }));
    case "echo-error":
      res.writeHead(400, { "content-type": "application/json" });
      return res.end(JSON.stringify({ error: { code: 400, message: `bad key ${KEY}` }, extra: KEY }));
    case "echo-long":
      res.writeHead(200, sseHead);
      return res.end(streamOf([sse(chunk("x")), sse(chunk("x", { model: `${"m".repeat(990)}${KEY}` }))]));
    case "hang":
      return; // never answers
    default:
      res.writeHead(200, { "content-type": "application/json" });
      return res.end("{}");
  }
}

beforeAll(async () => {
  raw = net.createServer((s) => {
    let head = "";
    s.on("data", (d) => {
      head += d.toString("latin1");
      const m = /^\S+ (\S+)/.exec(head);
      if (!m || !head.includes("\r\n\r\n")) return;
      const reply = rawReplies[m[1]!.split("/").pop()!];
      if (reply) s.write(reply);
    });
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => raw.listen(0, "127.0.0.1", r));
  rawUrl = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/api/v1`;
  up = http.createServer((req, res) => {
    hits.push(req.url!);
    req.resume();
    req.on("end", () => scenario(req, res));
  });
  await new Promise<void>((r) => up.listen(0, "127.0.0.1", r));
  upUrl = `http://127.0.0.1:${(up.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  up.closeAllConnections();
  await new Promise<void>((r) => up.close(() => r()));
  await new Promise<void>((r) => raw.close(() => r()));
});

const px = proxyPerTest(() => upUrl, contract);
const start = px.start;
function post(path: string, headers: Record<string, string> = {}, ms = 10_000) {
  return fetch(`${px.proxy!.baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...headers },
    body: streamBody,
    signal: AbortSignal.timeout(ms),
  });
}
async function until(cond: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}
const reported = (n: number) => until(() => px.proxy!.report.summary().exchanges >= n);

describe("what an upstream sends never takes the proxy down (item 1) or leaves the client unanswered (item 8)", () => {
  for (const s of ["ctl", "del", "bad-header", "upgrade"]) {
    it(`${s}: 502 in OpenRouter's envelope, and the proxy serves the next request`, async () => {
      await start({ upstream: rawUrl });
      const res = await post(`/chat/${s}`, {}, 5000);
      expect(res.status).toBe(502);
      const body = (await res.json()) as { error: { code: number; message: string } };
      expect(body.error.code).toBe(502);
      expect(body.error.message).toMatch(/openrouter-contract proxy: upstream .* failed: /);
      await reported(1);
      expect(px.proxy!.stats()).toMatchObject({ upstreamErrors: 1, clientAborts: 0 });
      await px.proxy!.close();
      await start();
      expect((await post("/chat/completions", { "x-s": "json" })).status).toBe(200);
    });
  }

  it("an upstream that never answers: 502 after the response timeout", async () => {
    await start({ upstreamTimeoutMs: 300 });
    const t0 = Date.now();
    const res = await post("/chat/completions", { "x-s": "hang" });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("no response within 0.3 s");
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe("the lag bound (items 2 and 4)", () => {
  it("worker checks: a stream 10x the lag bound arrives whole, checked (it stalled at 2x the bound)", async () => {
    await start({ checkThread: "worker", maxLagBytes: 64 * 1024 });
    const res = await post("/chat/completions", { "x-s": "big", "x-n": "2500" }, 20_000);
    const text = await res.text();
    expect(text.length).toBeGreaterThan(10 * 64 * 1024);
    expect(text.endsWith(done)).toBe(true);
    await reported(1);
    expect(px.proxy!.report.summary().bySeverity.error).toBe(0);
    expect(JSON.parse(px.records[0]!).response.complete).toBe(true);
  }, 30_000);

  it("a compressed copy is held to the bound in decoded bytes (a decompression bomb cannot queue more)", async () => {
    const maxLag = 64 * 1024;
    const upstream = new PassThrough() as unknown as http.IncomingMessage;
    const client = new PassThrough();
    client.resume();
    const decoder = createGunzip();
    const pump = new Pump({
      up: upstream,
      res: client as unknown as http.ServerResponse,
      maxLag,
      decoder,
      consume: () => undefined,
      busy: () => true, // checks that never catch up
    });
    // 5 MB of events in 10 KB of gzip.
    const bomb = gzipSync(sse(chunk("z")).repeat(40_000));
    (upstream as unknown as PassThrough).end(bomb);
    await new Promise((r) => setTimeout(r, 300));
    const queued = (pump as unknown as { queued: number }).queued;
    expect(queued).toBeGreaterThan(0);
    expect(queued).toBeLessThan(maxLag + 64 * 1024); // the bound plus one decoder chunk, not 5 MB
  });
});

describe("the copy as the checks get it", () => {
  // The pump hands each turn's copy to the worker as it is (transferred) unless the record keeps it (then copied),
  // and decodes ASCII without the streaming decoder: findings, live lines and record must not depend on the path.
  for (const checkThread of ["worker", "main"] as const) {
    it(`${checkThread} checks: the same findings with and without a record, the record byte for byte`, async () => {
      const runs: string[][] = [];
      for (const recording of [true, false]) {
        await start({ checkThread, ...(recording ? {} : { record: undefined }) });
        const res = await post("/chat/completions", { "x-s": "mixed", "x-n": "3000" }, 20_000);
        const text = await res.text();
        await reported(1);
        const id = (s: string) => s.replace(/\b[0-9a-f]{6}-(\d+)\b/g, "X-$1");
        runs.push([text, id(px.proxy!.report.json()), ...px.logs.map(id)]);
        if (recording) {
          const rec = JSON.parse(px.records[0]!).response;
          expect(rec.bodyText).toBe(text);
          expect(rec.complete).toBe(true);
        } else expect(px.records).toEqual([]);
      }
      expect(runs[1]).toEqual(runs[0]);
      const summary = JSON.parse(runs[0]![1]!).summary;
      expect(summary.bySeverity.error).toBeGreaterThan(30); // 31 bad JSON events and 34 bad chunks at least
      expect(runs[0]![0]).toContain("é€😀 2999");
    }, 30_000);
  }
});

describe("findings stay small and keyless (items 3 and 5)", () => {
  it("a model alternating between two long strings: log lines and report do not grow with it (2x input)", async () => {
    const sizes: number[][] = [];
    for (const n of [100_000, 200_000]) {
      await start({ checkThread: "main" });
      await (await post("/chat/completions", { "x-s": "alt", "x-n": String(n) })).text();
      await reported(1);
      sizes.push([
        Math.max(...px.logs.map((l) => l.length)),
        px.logs.join("\n").length,
        px.proxy!.report.json().length,
      ]);
      await px.proxy!.close();
    }
    expect(sizes[0]![0]).toBeLessThan(2000);
    expect(sizes[1]).toEqual(sizes[0]);
  });

  for (const mode of ["sse-model", "sse-text", "json-text", "json-type", "error", "long"]) {
    it(`an upstream echoing the key (${mode}): not in a log line, finding or the report`, async () => {
      await start({ checkThread: "main", showInfo: true });
      await (await post("/chat/completions", { "x-s": `echo-${mode}` })).text();
      await reported(1);
      await px.proxy!.close();
      const out = [...px.logs, px.proxy!.report.text({ showInfo: true }), px.proxy!.report.json(), ...px.records].join(
        "\n",
      );
      expect(out).not.toContain(KEY);
      expect(out).not.toContain("CANARY1234");
    });
  }

  it("two Authorization headers: neither token is printed where echoed", async () => {
    await start({ checkThread: "main", showInfo: true });
    const res = await fetch(`${px.proxy!.baseUrl}/chat/completions`, {
      method: "POST",
      headers: [
        ["authorization", "Bearer sk-or-v1-OTHER0000000000000000"],
        ["authorization", `Bearer ${KEY}`],
        ["content-type", "application/json"],
        ["x-s", "echo-json-type"],
      ],
      body: streamBody,
    });
    await res.text();
    await reported(1);
    await px.proxy!.close();
    const out = [...px.logs, px.proxy!.report.json(), ...px.records].join("\n");
    expect(out).not.toContain(KEY);
  });
});

describe("CR-only line endings through the proxy (item 7)", () => {
  it("a valid CR-only stream is reported clean", async () => {
    await start({ checkThread: "main" });
    const text = await (await post("/chat/completions", { "x-s": "cr" })).text();
    expect(text).toContain("\r\r");
    await reported(1);
    expect(px.proxy!.report.summary().bySeverity).toMatchObject({ error: 0, warning: 0 });
  });
});

describe("records are written in pieces (item 9)", () => {
  it("a 2 MB stream's record arrives in pieces of at most ~128 KB that join to one valid line", async () => {
    const pieces: string[] = [];
    const sink = { write: (p: string) => (pieces.push(p), true), once: () => undefined };
    await start({ recordStream: sink, checkThread: "main" });
    const text = await (await post("/chat/completions", { "x-s": "big", "x-n": "5000" }, 20_000)).text();
    await until(() => pieces.join("").endsWith("\n"));
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(140_000);
    const rec = JSON.parse(pieces.join(""));
    expect(rec.response).toMatchObject({ status: 200, complete: true });
    expect(rec.response.bodyText).toBe(text);
    expect(rec.request.headers.authorization).toBe("[REDACTED]");
  }, 30_000);

  it("one 1 MB chunk (a turn's reads come as one buffer) is still written in ~64 KB pieces", async () => {
    const pieces: string[] = [];
    const stage = new RecordStage({
      sink: { write: (p: string) => (pieces.push(p), true), once: () => undefined },
      maxBody: 16 << 20,
    });
    const rec = stage.start("r1", "POST", "https://x.test/api/v1/chat/completions", [], undefined);
    const event = `data: ${JSON.stringify({ choices: [{ delta: { content: 'say "hi"' } }] })}\n\n`;
    const text = event.repeat(Math.ceil((1 << 20) / event.length));
    rec.chunk(Buffer.from(text));
    rec.response(200, ["content-type", "text/event-stream"], true);
    await stage.flushed();
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(100_000);
    expect(JSON.parse(pieces.join("")).response.bodyText).toBe(text);
  });
});

/** POST with the path exactly as given (fetch would resolve the dot segments before sending). */
function rawPost(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(px.proxy!.url);
    const r = http.request({ host: u.hostname, port: u.port, path, method: "POST" }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    r.on("error", reject);
    r.end("{}");
  });
}

describe("paths stay under the upstream's base (item 12)", () => {
  for (const path of ["/../../admin/x", "/%2e%2e/%2e%2e/admin/x", "/chat/../../../admin"]) {
    it(`${path}: 400, never forwarded`, async () => {
      await start();
      hits.length = 0;
      expect(await rawPost(`/api/v1${path}`)).toBe(400);
      expect(hits).toEqual([]);
    });
  }
  it("a path inside the base still goes through", async () => {
    await start();
    hits.length = 0;
    expect(await rawPost("/api/v1/x/../chat/completions")).toBe(200);
    expect(hits).toEqual(["/api/v1/chat/completions"]);
  });
});

describe("--enforce refuses what it cannot check, and checks what it can (item 11)", () => {
  const valid = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] });
  function send(path: string, body: Buffer | string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(px.proxy!.url);
      const r = http.request(
        {
          host: u.hostname,
          port: u.port,
          path,
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
        },
        (res) => {
          let b = "";
          res.setEncoding("utf8");
          res.on("data", (c) => (b += c));
          res.on("end", () => resolve({ status: res.statusCode!, body: b }));
        },
      );
      r.on("error", reject);
      r.end(body);
    });
  }

  for (const path of ["/chat/completions/", "/chat/complet%69ons", "//chat/completions", "/Chat/Completions"]) {
    it(`${path}: a documented path spelled otherwise is refused, not forwarded unchecked`, async () => {
      await start({ enforce: true });
      hits.length = 0;
      const r = await send(`/api/v1${path}`, JSON.stringify({ model: "m", messages: [], top_p: 5 }));
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body).error.message).toContain("not spelled as documented (/chat/completions)");
      expect(hits).toEqual([]);
    });
  }

  it("duplicate keys are refused with the pointer (which one wins depends on the parser)", async () => {
    await start({ enforce: true });
    hits.length = 0;
    const r = await send("/api/v1/chat/completions", valid.replace(/}$/, ',"top_p":0,"top_p":0.5}'));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.metadata.violations).toEqual([
      { pointer: "/top_p", message: "appears twice in one object", code: "duplicate_key", location: "body" },
    ]);
    expect(hits).toEqual([]);
  });

  it("a body over --max-body-bytes is refused with 413, not forwarded unchecked", async () => {
    await start({ enforce: true, maxBodyBytes: 1000 });
    hits.length = 0;
    const big = JSON.stringify({ model: "m", messages: [{ role: "user", content: "x".repeat(5000) }] });
    const r = await send("/api/v1/chat/completions", big);
    expect(r.status).toBe(413);
    expect(hits).toEqual([]);
  });

  it("valid bodies with a UTF-8 BOM or Content-Encoding gzip are checked and forwarded as sent", async () => {
    await start({ enforce: true });
    hits.length = 0;
    expect((await send("/api/v1/chat/completions", `\uFEFF${valid}`)).status).toBe(200);
    const gz = await send("/api/v1/chat/completions", gzipSync(valid), { "content-encoding": "gzip" });
    expect(gz.status).toBe(200);
    expect(hits).toHaveLength(2);
    const bad = await send("/api/v1/chat/completions", gzipSync(valid.replace(/}$/, ',"top_p":5}')), {
      "content-encoding": "gzip",
    });
    expect(bad.status).toBe(400); // checked after decoding
    expect(JSON.parse(bad.body).error.message).toContain("/top_p");
  });
});

describe("what held up stays (request smuggling and hop-by-hop)", () => {
  /** Raw bytes to the proxy; resolves with what came back before the socket closed (or 1 s passed). */
  function rawExchange(bytes: string): Promise<string> {
    return new Promise((resolve) => {
      const u = new URL(px.proxy!.url);
      const s = net.connect(Number(u.port), u.hostname, () => s.write(bytes));
      let got = "";
      s.on("data", (d) => (got += d.toString("latin1")));
      s.on("error", () => undefined);
      const t = setTimeout(() => s.destroy(), 1000);
      s.on("close", () => {
        clearTimeout(t);
        resolve(got);
      });
    });
  }
  const body = '{"model":"m","messages":[{"role":"user","content":"hi"}]}';
  const framed = [
    ["duplicate Content-Length", `Content-Length: ${body.length}\r\nContent-Length: ${body.length + 1}`],
    ["Content-Length with Transfer-Encoding", `Content-Length: ${body.length}\r\nTransfer-Encoding: chunked`],
    ["Transfer-Encoding xchunked", "Transfer-Encoding: xchunked"],
  ];
  for (const [name, head] of framed) {
    it(`${name}: 400 from the proxy, nothing forwarded`, async () => {
      await start();
      hits.length = 0;
      const out = await rawExchange(`POST /api/v1/chat/completions HTTP/1.1\r\nHost: x\r\n${head}\r\n\r\n${body}`);
      expect(out).toMatch(/^HTTP\/1\.1 400 /);
      expect(hits).toEqual([]);
    });
  }

  it("CONNECT closed; absolute form stays on the upstream host; Connection-named headers dropped", async () => {
    await start();
    hits.length = 0;
    expect(await rawExchange("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")).not.toMatch(/ 200 /);
    const seen: http.IncomingHttpHeaders[] = [];
    up.once("request", (req: http.IncomingMessage) => seen.push(req.headers));
    const out = await rawExchange(
      "POST http://evil.example/api/v1/chat/completions HTTP/1.1\r\nHost: evil.example\r\n" +
        `Connection: close, x-secret-hop\r\nx-secret-hop: 1\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(out).toMatch(/^HTTP\/1\.1 200 /);
    expect(hits).toEqual(["/api/v1/chat/completions"]);
    expect(seen[0]!.host).toBe(new URL(upUrl).host);
    expect(seen[0]!["x-secret-hop"]).toBeUndefined();
  });
});
