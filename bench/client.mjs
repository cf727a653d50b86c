#!/usr/bin/env node
// Client benchmark, one run, loopback only. Usage: node bench/client.mjs [--quick]
//   1. median per-request time: this client vs raw fetch + res.json() vs bare openapi-fetch
//   2. a 20,000-chunk SSE stream (comments, usage chunk, [DONE]): client vs raw fetch + eventsource-parser by hand,
//      and the client with `validate: "strict"` (createClientValidator from the conformance entry)
//   3. esbuild-minified + gzip size of a minimal browser app (one JSON call, one streaming call)
//   4. cold import() time over bare `node -e 0` (median of several spawns)
// The client is imported from dist/index.js when it is newer than src/ (built by `npx tsup`), otherwise from a
// temporary esbuild bundle of src/client/index.ts in .tmp/bench-client/ (same settings as tsup: ESM, es2022, deps
// external).
// The server runs in a child process; wall-clock medians are the summary figures; client-process CPU time,
// best-of-N ratios and an in-process (no network) overhead are printed as cross-checks, because on a shared,
// loaded machine run-to-run noise is ±10%. Bundle KB = 1000 bytes (gzip -9 of the app's initial chunk).
// Last line (machine-readable): client: request 1.12x, stream 1.02x, strict stream 1.10x, bundle 5.1 KB, import +28 ms
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import createClient from "openapi-fetch";
import { createParser } from "eventsource-parser";
import { appSizes } from "./app-bundle.mjs";
import { bundleEntry } from "./bundle.mjs";
import { median } from "./stats.mjs";

// Re-run under --expose-gc: a full GC before each timed stream run removes the order effect where the second
// variant of a round pays for the first one's garbage.
if (typeof globalThis.gc !== "function") {
  const { status } = spawnSync(
    process.execPath,
    ["--expose-gc", fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  process.exit(status ?? 1);
}
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");

// ---------- client entry ----------
// dist/ is used only when it is newer than every client source file, src/client/** and src/types.ts (a stale build
// would measure old code).
const clientSources = [
  ...readdirSync(join(root, "src/client"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(root, "src/client", f)),
  join(root, "src/types.ts"),
];
const newestSource = Math.max(...clientSources.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
let entry = join(root, "dist/index.js");
let entryNote = "dist/index.js";
if (!existsSync(entry) || statSync(entry).mtimeMs < newestSource) {
  const out = join(root, ".tmp/bench-client");
  mkdirSync(out, { recursive: true });
  entry = join(out, "index.mjs");
  const external = ["openapi-fetch", "eventsource-parser"];
  await bundleEntry(root, join(root, "src/client/index.ts"), entry, { platform: "neutral", external });
  entryNote = ".tmp/bench-client/index.mjs (esbuild of src/client/index.ts; dist/ missing or older than src/)";
}
const { createOpenRouterClient } = await import(pathToFileURL(entry).href);
// The validator for `validate: "strict"` (the conformance entry, bundled the same way, Ajv external).
const conformanceEntry = join(root, ".tmp/bench-client/conformance.mjs");
await bundleEntry(root, join(root, "src/conformance/index.ts"), conformanceEntry, { platform: "neutral" });
const { createClientValidator } = await import(pathToFileURL(conformanceEntry).href);

// ---------- loopback server in a worker ----------
const STREAM_CHUNKS = 20_000;
const serverCode = `
const http = require("node:http");
const json = JSON.stringify({ id: "gen-1700000000-abcdefghijklmnop", object: "chat.completion", created: 1700000000,
  model: "openai/gpt-4o-mini", provider: "OpenAI", system_fingerprint: "fp_1",
  choices: [{ index: 0,
    message: { role: "assistant", content: "Hello! How can I help you today? I am a helpful assistant.",
      refusal: null, reasoning: null },
    finish_reason: "stop", native_finish_reason: "stop", logprobs: null }],
  usage: { prompt_tokens: 14, completion_tokens: 12, total_tokens: 26, cost: 0.0000123, is_byok: false,
    prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } } });
const parts = [];
for (let i = 0; i < ${STREAM_CHUNKS}; i++) {
  if (i % 100 === 0) parts.push(": OPENROUTER PROCESSING\\n\\n");
  parts.push("data: " + JSON.stringify({ id: "gen-1700000000-abcdefghijklmnop", object: "chat.completion.chunk",
    created: 1700000000, model: "openai/gpt-4o-mini", provider: "OpenAI",
    choices: [{ index: 0, delta: { role: "assistant", content: "tok" + i + " " },
      finish_reason: null, native_finish_reason: null, logprobs: null }] }) + "\\n\\n");
}
parts.push("data: " + JSON.stringify({ id: "gen-1", object: "chat.completion.chunk", created: 1, model: "m",
  choices: [],
  usage: { prompt_tokens: 14, completion_tokens: ${STREAM_CHUNKS}, total_tokens: ${STREAM_CHUNKS + 14} } }) + "\\n\\n");
parts.push("data: [DONE]\\n\\n");
const sse = Buffer.from(parts.join(""));
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.url.endsWith("/stream/chat/completions")) {
      res.writeHead(200, { "content-type": "text/event-stream", "x-generation-id": "gen-1" });
      // 16 KiB writes, like a proxy flushing a busy stream
      for (let o = 0; o < sse.length; o += 16384) res.write(sse.subarray(o, o + 16384));
      res.end();
    } else {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(json),
        "x-generation-id": "gen-1" });
      res.end(json);
    }
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () =>
  process.stdout.write(JSON.stringify({ port: server.address().port, sseBytes: sse.length }) + "\\n"));
process.stdin.on("end", () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
process.stdin.resume();
`;
// The server is a separate process: its CPU time is not counted by process.cpuUsage() below, and it does not
// share the client's event loop. It exits when our stdin pipe closes (also if this process dies).
const serverProc = spawn(process.execPath, ["-e", serverCode], { stdio: ["pipe", "pipe", "inherit"] });
const { port, sseBytes } = await new Promise((res, rej) => {
  let buf = "";
  serverProc.once("error", rej);
  serverProc.stdout.on("data", (d) => {
    buf += d;
    if (buf.includes("\n")) res(JSON.parse(buf));
  });
});
const base = `http://127.0.0.1:${port}/api/v1`;

const apiKey = "sk-or-v1-bench";
const reqBody = {
  model: "openai/gpt-4o-mini",
  messages: [
    { role: "system", content: "You are helpful." },
    { role: "user", content: "Hello!" },
  ],
  temperature: 0.7,
  max_tokens: 64,
};

const client = createOpenRouterClient({ apiKey, baseUrl: base });
const streamClient = createOpenRouterClient({ apiKey, baseUrl: `${base}/stream` });
const strictClient = createOpenRouterClient({
  apiKey,
  baseUrl: `${base}/stream`,
  validate: "strict",
  validator: createClientValidator({ mode: "strict" }),
  onViolation: (v) => {
    throw new Error(`bench stream is not valid: ${JSON.stringify(v)}`);
  },
});
const bare = createClient({ baseUrl: base, headers: { Authorization: `Bearer ${apiKey}` } });

const variants = {
  raw: async () => {
    const res = await fetch(`${base}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(reqBody),
    });
    return res.json();
  },
  "openapi-fetch": async () => (await bare.POST("/chat/completions", { body: reqBody })).data,
  client: () => client.chat.completions.create(reqBody),
};

// ---------- 1. per-request ----------
const ROUNDS = quick ? 5 : 15;
const N = quick ? 200 : 400;
for (const fn of Object.values(variants)) for (let i = 0; i < 300; i++) await fn(); // warmup
const perRound = { raw: [], "openapi-fetch": [], client: [] };
const cpuRound = { raw: [], "openapi-fetch": [], client: [] };
const order = Object.keys(variants);
for (let r = 0; r < ROUNDS; r++) {
  // rotate the order each round so no variant always runs first
  const ord = order.slice(r % 3).concat(order.slice(0, r % 3));
  for (const name of ord) {
    const fn = variants[name];
    globalThis.gc();
    const times = new Float64Array(N);
    const c0 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      const d = await fn();
      times[i] = performance.now() - t;
      if (!d?.choices) throw new Error(`${name}: bad response`);
    }
    const c = process.cpuUsage(c0);
    cpuRound[name].push((c.user + c.system) / N);
    perRound[name].push(median(times));
  }
}
const med = Object.fromEntries(Object.entries(perRound).map(([k, v]) => [k, median(v)]));
// Summary ratio = ratio of the medians over rounds; the median of per-round ratios is printed as a cross-check
// (on a loaded machine the two differ by a few %, which is the noise floor of this measurement).
const ratio = (a, b) => med[a] / med[b];
const roundRatio = (a, b) => median(perRound[a].map((x, i) => x / perRound[b][i]));
const reqRatio = ratio("client", "raw");
console.log(`per-request median (${ROUNDS} rounds x ${N} sequential requests, keep-alive):`);
for (const [k, v] of Object.entries(med)) console.log(`  ${k.padEnd(14)} ${(v * 1000).toFixed(1)} µs`);
console.log(
  `  client-process CPU per request: ${Object.entries(cpuRound)
    .map(([k, v]) => `${k} ${median(v).toFixed(1)} µs`)
    .join(", ")}; client/raw CPU ${(median(cpuRound.client) / median(cpuRound.raw)).toFixed(3)}x`,
);
const bestRoundRatio = Math.min(...perRound.client) / Math.min(...perRound.raw);
console.log(
  `  client/raw ${reqRatio.toFixed(3)}x (median of per-round ratios ${roundRatio("client", "raw").toFixed(3)}x, ` +
    `best-round ratio ${bestRoundRatio.toFixed(3)}x), ` +
    `client/openapi-fetch ${ratio("client", "openapi-fetch").toFixed(3)}x, ` +
    `openapi-fetch/raw ${ratio("openapi-fetch", "raw").toFixed(3)}x`,
);

// Noise-free cross-check: the client's own JS cost per call, with an in-process fetch returning a ready Response
// (no network, no undici), vs the same raw fetch + res.json() code path.
{
  const ready = JSON.stringify({
    id: "gen-1",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
  });
  const fakeFetch = async () => new Response(ready, { status: 200, headers: { "content-type": "application/json" } });
  const fc = createOpenRouterClient({ apiKey, baseUrl: base, fetch: fakeFetch });
  const fv = {
    raw: async () =>
      (
        await fakeFetch(`${base}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
          body: JSON.stringify(reqBody),
        })
      ).json(),
    client: () => fc.chat.completions.create(reqBody),
  };
  const per = { raw: [], client: [] };
  for (const f of Object.values(fv)) for (let i = 0; i < 2000; i++) await f();
  for (let r = 0; r < 10; r++) {
    for (const [k, f] of Object.entries(fv)) {
      const t = performance.now();
      for (let i = 0; i < 2000; i++) await f();
      per[k].push(((performance.now() - t) * 1000) / 2000);
    }
  }
  const ownCost = median(per.client) - median(per.raw);
  console.log(
    `  without network (in-process fetch): raw ${median(per.raw).toFixed(1)} µs, ` +
      `client ${median(per.client).toFixed(1)} µs -> client's own cost ${ownCost.toFixed(1)} µs per call`,
  );
}

// ---------- 2. stream ----------
async function rawStream() {
  const res = await fetch(`${base}/stream/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ ...reqBody, stream: true }),
  });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let n = 0;
  let done = false;
  const parser = createParser({
    onEvent(ev) {
      if (ev.data === "[DONE]") return void (done = true);
      const c = JSON.parse(ev.data);
      if (c.choices) n++;
    },
  });
  while (!done) {
    const { value, done: eof } = await reader.read();
    if (eof) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  await reader.cancel();
  return n;
}
async function clientStream(c = streamClient) {
  let n = 0;
  for await (const x of await c.chat.completions.create({ ...reqBody, stream: true })) if (x.choices) n++;
  return n;
}
const strictStream = () => clientStream(strictClient);
for (let i = 0; i < 3; i++) {
  await rawStream();
  await clientStream();
  await strictStream();
}
const SROUNDS = quick ? 5 : 21;
/** Timed stream rounds, order rotating; `gc`: a full GC before each stream (the summary figures). */
async function streamRounds(gc) {
  const st = { raw: [], client: [], strict: [] };
  const cpu = { raw: [], client: [], strict: [] };
  for (let r = 0; r < SROUNDS; r++) {
    for (const [name, fn] of streamOrder.slice(r % 3).concat(streamOrder.slice(0, r % 3))) {
      if (gc) globalThis.gc();
      const c0 = process.cpuUsage();
      const t = performance.now();
      const n = await fn();
      st[name].push(performance.now() - t);
      const c = process.cpuUsage(c0);
      cpu[name].push((c.user + c.system) / 1000);
      if (n !== STREAM_CHUNKS + 1) throw new Error(`${name}: got ${n} chunks`);
    }
  }
  return { st, cpu };
}
const streamOrder = [
  ["raw", rawStream],
  ["client", clientStream],
  ["strict", strictStream],
];
const { st, cpu: stCpu } = await streamRounds(true);
// Cross-check: without the forced GC, V8 keeps the maps of the previous stream's chunks, so no stream starts with
// a deoptimization (DECISIONS §40); each variant may then pay for the garbage of the one before it instead.
const noGc = await streamRounds(false);
const streamRatio = median(st.client) / median(st.raw);
const streamCpu =
  `client-process CPU: raw ${median(stCpu.raw).toFixed(1)} ms, client ${median(stCpu.client).toFixed(1)} ms, ` +
  `${(median(stCpu.client) / median(stCpu.raw)).toFixed(3)}x`;
console.log(
  `stream of ${STREAM_CHUNKS} chunks + usage chunk + [DONE] (${(sseBytes / 1e6).toFixed(1)} MB, ` +
    `${SROUNDS} rounds, order alternating):`,
);
const streamRoundRatio = median(st.client.map((x, i) => x / st.raw[i]));
console.log(
  `  raw fetch + eventsource-parser ${median(st.raw).toFixed(1)} ms, client ${median(st.client).toFixed(1)} ms, ` +
    `ratio ${streamRatio.toFixed(3)}x (median of per-round ratios ${streamRoundRatio.toFixed(3)}x)`,
);
console.log(`  ${streamCpu}; best-of-${SROUNDS} ratio ${(Math.min(...st.client) / Math.min(...st.raw)).toFixed(3)}x`);
const strictRatio = median(st.strict) / median(st.raw);
console.log(
  `  client with validate: "strict" (every chunk checked, undocumented fields too) ` +
    `${median(st.strict).toFixed(1)} ms, ` +
    `ratio ${strictRatio.toFixed(3)}x (median of per-round ratios ` +
    `${median(st.strict.map((x, i) => x / st.raw[i])).toFixed(3)}x; CPU ${median(stCpu.strict).toFixed(1)} ms)`,
);
console.log(
  `  without the forced GC before each stream (cross-check, ${SROUNDS} rounds): client ` +
    `${(median(noGc.st.client) / median(noGc.st.raw)).toFixed(3)}x, strict ` +
    `${(median(noGc.st.strict) / median(noGc.st.raw)).toFixed(3)}x`,
);
serverProc.stdin.end();

// ---------- 3. bundle ----------
// bench/app-bundle.mjs: the app, built with and without code splitting. We report the initial chunk (the summary
// figure) and the single-file total; `node bench/app-bundle.mjs` adds what each module costs.
const app = await appSizes(root, entry);
const gzBytes = app.initial.gz;
console.log(`minimal browser app (one JSON call + one stream), esbuild --minify --splitting:`);
console.log(
  `  initial chunk ${app.initial.min} B min, ${gzBytes} B gzip -9; ` +
    `lazy chunk(s) never loaded by this app: ${app.lazy.map((n) => `${n} B gz`).join(", ") || "none"}`,
);
console.log(`  without code splitting (one file): ${app.single.min} B min, ${app.single.gz} B gzip -9`);

// ---------- 4. cold import ----------
const SPAWNS = quick ? 5 : 15;
const spawnMs = (args) => {
  const t = performance.now();
  execFileSync(process.execPath, args, { stdio: "ignore" });
  return performance.now() - t;
};
const bareT = [];
const impT = [];
const importArgs = ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(entry).href)})`];
spawnMs(["-e", "0"]);
spawnMs(importArgs);
for (let i = 0; i < SPAWNS; i++) {
  bareT.push(spawnMs(["-e", "0"]));
  impT.push(spawnMs(importArgs));
}
const importDelta = median(impT) - median(bareT);
console.log(
  `cold start (${SPAWNS} spawns each): node -e 0 ${median(bareT).toFixed(1)} ms, ` +
    `import() ${median(impT).toFixed(1)} ms, delta ${importDelta.toFixed(1)} ms`,
);
console.log(`entry: ${entryNote}; node ${process.version}`);
console.log(
  `client: request ${reqRatio.toFixed(2)}x, stream ${streamRatio.toFixed(2)}x, ` +
    `strict stream ${strictRatio.toFixed(2)}x, ` +
    `bundle ${(gzBytes / 1000).toFixed(1)} KB, import +${Math.round(importDelta)} ms`,
);
