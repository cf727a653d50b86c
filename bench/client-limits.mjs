#!/usr/bin/env node
import { createServer } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median } from "./stats.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const MB = 1024 * 1024;
const KEY = "sk-or-v1-LIMITSCANARY0123456789abcdef0123456789abcdef0123456789abcdef";

if (process.argv[2] === "--child") {
  // Child: one client call against the parent's server; prints {outcome, ms, rssMB} as JSON.
  const [, , , entry, url, scenario] = process.argv;
  const { createOpenRouterClient } = await import(pathToFileURL(entry).href);
  const apiKey = scenario.startsWith("short-key") ? "x" : KEY;
  const client = createOpenRouterClient({ apiKey, baseUrl: `${url}/${scenario}`, maxRetries: 0, timeoutMs: 120_000 });
  const stream = scenario.includes("stream");
  const t0 = performance.now();
  let outcome;
  try {
    const r = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], stream });
    if (stream) {
      let n = 0;
      for await (const _ of r) n++; // discard every chunk, as a caller that only forwards them would
      outcome = `ok, ${n} chunks, partialContent ${r.partialContent.length} chars`;
    } else outcome = "ok";
  } catch (e) {
    const fields = ["message", "metadata", "body", "generationId", "partialContent"].filter((f) =>
      JSON.stringify(e[f] ?? "").includes(KEY),
    );
    outcome = `${e.name}: ${String(e.message).slice(0, 70)}${fields.length ? ` [KEY IN ${fields.join(",")}]` : ""}`;
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ outcome, ms, rssMB: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

/** Writes `total` bytes made of `head`, then `fill` repeated, then `tail`, respecting backpressure. */
function pump(res, head, fill, total, tail) {
  const piece = fill.repeat(Math.max(1, Math.floor(65536 / fill.length)));
  let sent = 0;
  res.write(head);
  const go = () => {
    while (sent < total) {
      sent += piece.length;
      if (!res.write(piece)) return void res.once("drain", go);
    }
    res.end(tail);
  };
  go();
}

const sse = (o) => `data: ${JSON.stringify(o)}\n\n`;
const chunk = (content) => ({
  id: "gen-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
});
const scenarios = {
  ok: (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "gen-1",
        object: "chat.completion",
        created: 1,
        model: "m",
        choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
      }),
    );
  },
  "lt-502-100k": (res) => (res.writeHead(502, { "content-type": "text/html" }), res.end("<".repeat(100_000))),
  "lt-502-200k": (res) => (res.writeHead(502, { "content-type": "text/html" }), res.end("<".repeat(200_000))),
  "lt-200-200k": (res) => (res.writeHead(200, { "content-type": "text/html" }), res.end("<".repeat(200_000))),
  "key-stream-error": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "x-generation-id": `gen-${KEY}` });
    res.end(
      sse(chunk(`echo ${KEY}`)) +
        sse({ ...chunk(""), error: { code: 401, message: `bad key ${KEY}`, metadata: { raw: KEY } } }),
    );
  },
  "key-stream-not-json": (res) => (
    res.writeHead(200, { "content-type": "text/event-stream" }), res.end(`data: {${KEY}\n\n`)
  ),
  "short-key-429": (res) => (
    res.writeHead(429, { "content-type": "application/json" }),
    res.end(JSON.stringify({ error: { code: 429, message: "Rate limit exceeded" } }))
  ),
  "error-body-256mb": (res) => (res.writeHead(500, { "content-type": "text/plain" }), pump(res, "", "a", 256 * MB, "")),
  "json-200-256mb": (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    pump(
      res,
      '{"id":"gen-1","object":"chat.completion","created":1,"model":"m",' +
        '"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"',
      "a",
      256 * MB,
      '"}}]}',
    );
  },
  "stream-512mb": (res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    pump(res, "", sse(chunk("a".repeat(1000))), 512 * MB, "data: [DONE]\n\n");
  },
};

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => scenarios[(req.url ?? "").split("/")[1]]?.(res));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}`;
const entry = resolve(arg("--entry") ?? join(root, "dist/index.js"));
const quick = process.argv.includes("--quick");

const runChild = (scenario) =>
  new Promise((resolveRun) => {
    // Async spawn: the server in this process must keep serving while the child runs.
    import("node:child_process").then(({ spawn }) => {
      const p = spawn(process.execPath, [fileURLToPath(import.meta.url), "--child", entry, url, scenario], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.on("close", () => resolveRun(JSON.parse(out.trim().split("\n").pop())));
    });
  });

console.log(`entry: ${entry}`);
const results = {};
for (const s of Object.keys(scenarios)) {
  if (quick && /256mb|512mb/.test(s)) continue;
  const runs = [];
  for (let i = 0; i < (/mb$/.test(s) ? 1 : 3); i++) runs.push(await runChild(s));
  const r = { outcome: runs[0].outcome, ms: median(runs.map((x) => x.ms)), rssMB: median(runs.map((x) => x.rssMB)) };
  results[s] = r;
  console.log(
    `${s.padEnd(20)} ${r.ms.toFixed(0).padStart(7)} ms  peak RSS ${r.rssMB.toFixed(0).padStart(5)} MB  ${r.outcome}`,
  );
}
const base = results.ok.rssMB;
const growth = results["lt-502-200k"].ms / results["lt-502-100k"].ms;
console.log(
  `baseline (one JSON call) peak RSS ${base.toFixed(0)} MB; '<' body 200 KB vs 100 KB time ratio ${growth.toFixed(2)}x`,
);
const extra = ["error-body-256mb", "json-200-256mb", "stream-512mb"]
  .filter((s) => results[s])
  .map((s) => `${s} +${(results[s].rssMB - base).toFixed(0)} MB`);
const extraNote = extra.length ? `, ${extra.join(", ")}` : "";
console.log(`client-limits: snippet 200k ${results["lt-502-200k"].ms.toFixed(0)} ms${extraNote}`);
server.close();
