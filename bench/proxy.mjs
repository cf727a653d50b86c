#!/usr/bin/env node
// Proxy benchmark, one run, loopback only. Usage: node bench/proxy.mjs [--quick]
//   1. added latency per SSE event: an upstream sends events 2 ms apart, each stamped (SSE `id:` field) with its send
//      time; the client notes the arrival time of each event, directly and through `openrouter-contract proxy`.
//      Added latency = median(through proxy) - median(direct); the clock offset between the two processes cancels.
//   2. throughput on a 20,000-chunk stream (comments, usage chunk, [DONE]) sent as fast as the socket takes it:
//      time for a client to read and parse it (eventsource-parser + JSON.parse), through the proxy vs direct.
//      A plain node:http pipe proxy (no checks) runs as a second reference: the cost of any extra hop on this machine;
//      the proxy also runs with --check-thread main (checks between I/O callbacks instead of in a worker thread).
//      The proxy's own CPU time per stream is read from /proc (Linux).
// The proxy runs as the real CLI (dist/cli.js when newer than src/, otherwise an esbuild bundle of src/cli/main.ts in
// .tmp/bench-proxy/) with its default checks on: every event is validated against the contract. Upstream, proxy and
// client are three processes. Baselines are measured in the same run, rounds alternate the order.
//   3. memory: concurrent bulk streams through the proxy; its peak RSS (sampled from /proc) above its idle RSS, per
//      stream.
// Last line (machine-readable): proxy: latency +0.12 ms/event, stream 1.03x (pipe 1.01x), peak RSS 2.1 MB/stream
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createParser } from "eventsource-parser";
import { bundleEntry } from "./bundle.mjs";
import { median } from "./stats.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.argv.includes("--quick");
// ---------- the CLI ----------
const newest = (dir) =>
  Math.max(
    ...readdirSync(dir, { recursive: true })
      .filter((f) => /\.ts$/.test(f))
      .map((f) => statSync(join(dir, f)).mtimeMs),
  );
let cli = join(root, "dist/cli.js");
let cliNote = "dist/cli.js";
if (!existsSync(cli) || statSync(cli).mtimeMs < newest(join(root, "src"))) {
  const out = join(root, ".tmp/bench-proxy");
  mkdirSync(out, { recursive: true });
  cli = join(out, "cli.mjs");
  await bundleEntry(root, join(root, "src/cli/main.ts"), cli);
  cliNote = ".tmp/bench-proxy/cli.mjs (esbuild of src/cli/main.ts; dist/ missing or older than src/)";
}

// BENCH_BEFORE=<a checkout of an earlier version> adds its proxy (esbuild of its src/cli/main.ts) to the stream rounds,
// so a before/after ratio comes from one run.
const beforeRoot = process.env.BENCH_BEFORE;
let beforeCli;
if (beforeRoot) {
  beforeCli = join(root, ".tmp/bench-proxy/before.mjs");
  await bundleEntry(root, join(resolve(beforeRoot), "src/cli/main.ts"), beforeCli);
}

// ---------- upstream (own process) ----------
const STREAM_CHUNKS = 20_000;
const LAT_EVENTS = quick ? 150 : 300;
const upstreamCode = `
const http = require("node:http");
const chunk = (i) => JSON.stringify({ id: "gen-1700000000-abcdefghijklmnop", object: "chat.completion.chunk",
  created: 1700000000, model: "openai/gpt-4o-mini", provider: "OpenAI",
  choices: [{ index: 0, delta: { role: "assistant", content: "tok" + i + " " },
    finish_reason: null, native_finish_reason: null, logprobs: null }] });
const usage = "data: " + JSON.stringify({ id: "gen-1700000000-abcdefghijklmnop", object: "chat.completion.chunk",
  created: 1700000000, model: "openai/gpt-4o-mini", choices: [],
  usage: { prompt_tokens: 14, completion_tokens: ${STREAM_CHUNKS}, total_tokens: ${STREAM_CHUNKS + 14} } }) + "\\n\\n";
const parts = [];
for (let i = 0; i < ${STREAM_CHUNKS}; i++) {
  if (i % 100 === 0) parts.push(": OPENROUTER PROCESSING\\n\\n");
  parts.push("data: " + chunk(i) + "\\n\\n");
}
parts.push(usage, "data: [DONE]\\n\\n");
const sse = Buffer.from(parts.join(""));
const now = () => performance.timeOrigin + performance.now();
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    if (req.headers["x-bench"] === "bulk") {
      for (let o = 0; o < sse.length; o += 16384) res.write(sse.subarray(o, o + 16384));
      return res.end();
    }
    let i = 0;
    const t = setInterval(() => {
      if (res.destroyed) return clearInterval(t);
      if (i < ${LAT_EVENTS}) res.write("id: " + now().toFixed(3) + "\\ndata: " + chunk(i++) + "\\n\\n");
      else { clearInterval(t); res.end(usage + "data: [DONE]\\n\\n"); }
    }, 2);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () =>
  process.stdout.write(JSON.stringify({ port: server.address().port, bytes: sse.length }) + "\\n"));
process.stdin.on("end", () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
process.stdin.resume();
`;
function firstLine(proc, re) {
  return new Promise((res, rej) => {
    let buf = "";
    proc.once("error", rej);
    proc.once("exit", (c) => rej(new Error(`exited early (${c}): ${buf}`)));
    proc.stdout.on("data", (d) => {
      buf += d;
      const m = re.exec(buf);
      if (m) res(m);
    });
  });
}
const upstream = spawn(process.execPath, ["-e", upstreamCode], { stdio: ["pipe", "pipe", "inherit"] });
const [upLine] = await firstLine(upstream, /^\{.*\}\n/);
const { port, bytes } = JSON.parse(upLine);
const direct = `http://127.0.0.1:${port}/api/v1`;
const pipeCode = `
const http = require("node:http");
const up = new URL(${JSON.stringify(direct)});
const agent = new http.Agent({ keepAlive: true });
const s = http.createServer((req, res) => {
  const options = { host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers, agent };
  const r = http.request(options, (u) => {
    res.writeHead(u.statusCode, u.headers);
    u.pipe(res);
  });
  req.pipe(r);
}).listen(0, "127.0.0.1", () => console.log("listening on http://127.0.0.1:" + s.address().port + "/api/v1"));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
`;
const pipeProc = spawn(process.execPath, ["-e", pipeCode], { stdio: ["pipe", "pipe", "inherit"] });
const viaPipe = (await firstLine(pipeProc, /listening on (\S+)/))[1];
const proxyProc = spawn(process.execPath, [cli, "proxy", "--upstream", direct, "--port", "0"], {
  stdio: ["ignore", "pipe", "inherit"],
});
const viaProxy = (await firstLine(proxyProc, /listening on (\S+)/))[1];
let proxyOut = "";
proxyProc.stdout.on("data", (d) => (proxyOut += d));
// The same proxy with its stream checks in the main thread (--check-thread main), for comparison.
const mainProc = spawn(
  process.execPath,
  [cli, "proxy", "--upstream", direct, "--port", "0", "--check-thread", "main"],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const viaMain = (await firstLine(mainProc, /listening on (\S+)/))[1];
let mainOut = "";
mainProc.stdout.on("data", (d) => (mainOut += d));

const beforeProc = beforeCli
  ? spawn(process.execPath, [beforeCli, "proxy", "--upstream", direct, "--port", "0"], {
      stdio: ["ignore", "pipe", "inherit"],
    })
  : undefined;
const viaBefore = beforeProc && (await firstLine(beforeProc, /listening on (\S+)/))[1];

const now = () => performance.timeOrigin + performance.now();
const body = JSON.stringify({
  model: "openai/gpt-4o-mini",
  messages: [{ role: "user", content: "Hello!" }],
  stream: true,
});
async function read(url, onEvent, bulk = false) {
  const headers = {
    "content-type": "application/json",
    authorization: "Bearer sk-or-v1-bench",
    ...(bulk ? { "x-bench": "bulk" } : {}),
  };
  const res = await fetch(url, { method: "POST", headers, body });
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let n = 0;
  const parser = createParser({
    onEvent(ev) {
      if (ev.data === "[DONE]") return;
      JSON.parse(ev.data);
      n++;
      onEvent?.(ev);
    },
  });
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(dec.decode(value, { stream: true }));
  }
  return n;
}

// ---------- 1. latency per event ----------
const ROUNDS = quick ? 3 : 7;
const lat = { direct: [], proxy: [] };
await read(`${direct}/chat/completions`);
await read(`${viaProxy}/chat/completions`);
for (let r = 0; r < ROUNDS; r++) {
  for (const name of r % 2 ? ["proxy", "direct"] : ["direct", "proxy"]) {
    const base = name === "proxy" ? viaProxy : direct;
    await read(`${base}/chat/completions`, (ev) => {
      if (ev.id) lat[name].push(now() - Number(ev.id));
    });
  }
}
const added = median(lat.proxy) - median(lat.direct);
console.log(`latency per event (${ROUNDS} rounds x ${LAT_EVENTS} events 2 ms apart; CLI ${cliNote}):`);
const us = (msValue) => (msValue * 1000).toFixed(0);
console.log(
  `  direct ${us(median(lat.direct))} µs, through the proxy ${us(median(lat.proxy))} µs median -> ` +
    `added ${us(added)} µs (p90 direct ${us(pct(lat.direct, 0.9))} µs, proxy ${us(pct(lat.proxy, 0.9))} µs)`,
);
function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

// ---------- 2. throughput ----------
const SROUNDS = quick ? 6 : 15;
const st = { direct: [], pipe: [], proxy: [], "proxy-main": [] };
const urls = { direct, pipe: viaPipe, proxy: viaProxy, "proxy-main": viaMain };
const cpuMs = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN;
  }
};
const cpu = { pipe: [], proxy: [], "proxy-main": [] };
// The worker proxy's CPU by thread (Linux, schedstat in ns): its main thread, the check thread (the one at nice 10),
// and the rest (V8's GC and compiler helpers).
const threadMs = (pid) => {
  const out = { main: 0, checks: 0, other: 0 };
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const ms = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
      const nice = Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1].split(" ")[16]);
      out[tid === String(pid) ? "main" : nice > 0 ? "checks" : "other"] += ms;
    }
  } catch {
    return undefined;
  }
  return out;
};
const split = { main: [], checks: [], other: [] };
const procs = { pipe: pipeProc, proxy: proxyProc, "proxy-main": mainProc };
if (beforeProc) {
  st.before = [];
  urls.before = viaBefore;
  cpu.before = [];
  procs.before = beforeProc;
}
for (let i = 0; i < 2; i++) for (const u of Object.values(urls)) await read(`${u}/chat/completions`, undefined, true);
const names = Object.keys(urls);
for (let r = 0; r < SROUNDS; r++) {
  for (const name of names.slice(r % names.length).concat(names.slice(0, r % names.length))) {
    const c0 = procs[name] ? cpuMs(procs[name].pid) : 0;
    const t0 = name === "proxy" ? threadMs(proxyProc.pid) : undefined;
    const t = performance.now();
    const n = await read(`${urls[name]}/chat/completions`, undefined, true);
    st[name].push(performance.now() - t);
    if (n !== STREAM_CHUNKS + 1) throw new Error(`${name}: got ${n} events`);
    if (procs[name]) {
      await new Promise((res) => setTimeout(res, 300)); // let the proxy's checks finish before reading its CPU time
      cpu[name].push(cpuMs(procs[name].pid) - c0);
      const t1 = t0 && threadMs(proxyProc.pid);
      if (t1) for (const k of Object.keys(split)) split[k].push(t1[k] - t0[k]);
    }
  }
}
const ratio = median(st.proxy) / median(st.direct);
console.log(
  `stream of ${STREAM_CHUNKS} chunks + usage + [DONE] (${(bytes / 1e6).toFixed(1)} MB, ${SROUNDS} rounds, ` +
    `order alternating):`,
);
const slowerOrFaster = `${((ratio - 1) * 100).toFixed(1)}% ${ratio >= 1 ? "slower" : "faster"}`;
const roundRatio = median(st.proxy.map((x, i) => x / st.direct[i]));
console.log(
  `  direct ${median(st.direct).toFixed(1)} ms, through the proxy ${median(st.proxy).toFixed(1)} ms -> ` +
    `${ratio.toFixed(3)}x (${slowerOrFaster}; median of per-round ratios ${roundRatio.toFixed(3)}x)`,
);
console.log(
  `  reference: plain pipe proxy without checks ${median(st.pipe).toFixed(1)} ms -> ` +
    `${(median(st.pipe) / median(st.direct)).toFixed(3)}x direct; ` +
    `proxy/pipe ${(median(st.proxy) / median(st.pipe)).toFixed(3)}x`,
);
console.log(
  `  checks in the proxy's main thread (--check-thread main): ${median(st["proxy-main"]).toFixed(1)} ms -> ` +
    `${(median(st["proxy-main"]) / median(st.direct)).toFixed(3)}x direct`,
);
console.log(
  `  CPU time per stream (/proc, median): proxy ${median(cpu.proxy).toFixed(0)} ms ` +
    `(checks included; main-thread checks ${median(cpu["proxy-main"]).toFixed(0)} ms), ` +
    `pipe ${median(cpu.pipe).toFixed(0)} ms`,
);
if (split.main.length) {
  console.log(
    `  proxy CPU by thread (schedstat, median): main ${median(split.main).toFixed(1)} ms, ` +
      `check thread ${median(split.checks).toFixed(1)} ms, other threads ${median(split.other).toFixed(1)} ms`,
  );
}
if (beforeProc) {
  const b = median(st.before);
  console.log(
    `  before (BENCH_BEFORE=${beforeRoot}): ${b.toFixed(1)} ms -> ${(b / median(st.direct)).toFixed(3)}x direct, ` +
      `CPU ${median(cpu.before).toFixed(0)} ms; after/before ${(median(st.proxy) / b).toFixed(3)}x`,
  );
}

// ---------- 3. memory: peak RSS per concurrent stream ----------
// CONCURRENT bulk streams at once through the (worker) proxy; its RSS is sampled from /proc every 10 ms.
const CONCURRENT = quick ? 8 : 20;
const rssMb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;
  } catch {
    return NaN;
  }
};
const rssBase = rssMb(proxyProc.pid);
let rssPeak = rssBase;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(proxyProc.pid))), 10);
const tc = performance.now();
const counts = await Promise.all(
  Array.from({ length: CONCURRENT }, () => read(`${viaProxy}/chat/completions`, undefined, true)),
);
const concurrentMs = performance.now() - tc;
await new Promise((r) => setTimeout(r, 500)); // the checks finish behind the forwarding
clearInterval(sampler);
if (counts.some((n) => n !== STREAM_CHUNKS + 1)) throw new Error(`concurrent streams: got ${counts.join(",")} events`);
const perStream = (rssPeak - rssBase) / CONCURRENT;
console.log(
  `memory: ${CONCURRENT} concurrent streams of ${(bytes / 1e6).toFixed(1)} MB in ${concurrentMs.toFixed(0)} ms: ` +
    `proxy RSS ${rssBase.toFixed(0)} MB -> peak ${rssPeak.toFixed(0)} MB, ${perStream.toFixed(1)} MB per stream`,
);

// The proxy checked every event: it must have found nothing (a finding would mean the bench measured an error path).
proxyProc.kill("SIGINT");
mainProc.kill("SIGINT");
beforeProc?.kill("SIGINT");
await new Promise((r) => proxyProc.once("exit", r));
if (mainProc.exitCode === null) await new Promise((r) => mainProc.once("exit", r));
if (!/: 0 error, 0 warning/.test(mainOut)) throw new Error(`the main-thread proxy reported findings:\n${mainOut}`);
const summary = /(\d+) exchanges? checked[^\n]*/.exec(proxyOut)?.[0] ?? "(no summary)";
console.log(`  proxy summary: ${summary}`);
if (!/: 0 error, 0 warning/.test(summary)) throw new Error(`the proxy reported findings:\n${proxyOut}`);
upstream.stdin.end();
pipeProc.stdin.end();
const pipeRatio = median(st.pipe) / median(st.direct);
console.log(
  `proxy: latency +${added.toFixed(2)} ms/event, stream ${ratio.toFixed(2)}x (pipe ${pipeRatio.toFixed(2)}x), ` +
    `peak RSS ${perStream.toFixed(1)} MB/stream`,
);
