#!/usr/bin/env node
// Throughput of the mock (layer + Prism) against Prism alone, on the same spec, in one run.
//   node bench/mock.mjs [--rounds 5] [--requests 1000] [--concurrency 10] [--warmup 300]
// Starts both servers on free 127.0.0.1 ports as child processes (Prism alone: the CLI; the mock: `npm start`'s
// entry with PORT; MOCK_PRISM=child benchmarks the mock's child-process engine instead of the default in-process
// one), sends the same request mix to each (valid chat, valid completion, invalid chat -> 400, chat
// stream with pacing 0), alternating which server goes first each round, and prints the median requests/second of
// each and the ratio. Stops both by PID at the end.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { register } from "tsx/esm/api";
import { median } from "./stats.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    requests: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "10" },
    warmup: { type: "string", default: "300" },
  },
});
const ROUNDS = Number(values.rounds);
const N = Number(values.requests);
const C = Number(values.concurrency);
const WARMUP = Number(values.warmup);

const spec = JSON.parse(readFileSync(join(root, "generated/openapi.json"), "utf8"));
const basePath = new URL(spec.servers?.[0]?.url ?? "http://x/").pathname.replace(/\/+$/, "");

// The project's one $ref resolver; tsx lets this plain-node script import it from TypeScript.
register();
const { resolveRef } = await import("../src/spec/ref.ts");
const deref = (node) => resolveRef(spec, node).node;
function firstRequestExample(path) {
  const media = deref(spec.paths[path].post.requestBody).content["application/json"];
  const ex = Object.values(media.examples ?? {})
    .map((e) => deref(e).value)
    .find((v) => v && v.stream !== true);
  if (!ex) throw new Error(`no request example for ${path}`);
  return ex;
}
const chatPath = Object.keys(spec.paths).find((p) => p.endsWith("/chat/completions"));
const complPath = Object.keys(spec.paths).find((p) => p !== chatPath && p.endsWith("/completions"));
const chat = firstRequestExample(chatPath);
const completion = firstRequestExample(complPath);

// The request mix (weights sum to 10): [name, path, body, extra headers, expected status, weight].
const MIX = [
  ["chat", chatPath, JSON.stringify(chat), {}, 200, 4],
  ["completion", complPath, JSON.stringify(completion), {}, 200, 2],
  // Prism alone answers 422 here (the spec declares 422 and Prism prefers it); the mock answers 400.
  ["invalid", chatPath, JSON.stringify({ ...chat, temperature: 3 }), {}, [400, 422], 2],
  [
    "stream",
    chatPath,
    JSON.stringify({ ...chat, stream: true }),
    { accept: "text/event-stream", "x-mock-stream-delay-ms": "0" },
    200,
    2,
  ],
];
const schedule = MIX.flatMap((m) => Array(m[5]).fill(m));

async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => res(a.port));
    });
  });
}

async function waitReady(url, child, name) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited early`);
    const ok = await new Promise((r) => {
      const req = request(url, { agent: false, timeout: 1000 }, (res) => {
        res.resume();
        r(true);
      });
      req.on("error", () => r(false));
      req.on("timeout", () => req.destroy());
      req.end();
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} not ready`);
}

function stop(child) {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) return r();
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(t);
      r();
    });
    process.kill(child.pid, "SIGTERM");
  });
}

async function run(base, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: C });
  let next = 0;
  const bad = {};
  const one = (m) =>
    new Promise((resolveReq) => {
      const [name, path, body, headers, expected] = m;
      const req = request(
        base + path,
        {
          method: "POST",
          agent,
          headers: {
            authorization: "Bearer sk-bench",
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            ...headers,
          },
        },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => {
            if (![expected].flat().includes(res.statusCode)) bad[name] = (bad[name] ?? 0) + 1;
            resolveReq();
          });
        },
      );
      req.on("error", () => {
        bad[name] = (bad[name] ?? 0) + 1;
        resolveReq();
      });
      req.end(body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < count) {
        const m = schedule[next++ % schedule.length];
        await one(m);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  agent.destroy();
  return { rps: count / secs, bad };
}

/** utime+stime of a process in ms (Linux /proc), or NaN elsewhere. */
function cpuMs(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}
function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const prismPort = await freePort();
const mockPort = await freePort();
const prism = spawn(
  process.execPath,
  [
    require.resolve("@stoplight/prism-cli/dist/index.js"),
    "mock",
    join(root, "generated/openapi.yaml"),
    "-h",
    "127.0.0.1",
    "-p",
    String(prismPort),
    "--errors",
    "-v",
    "error",
  ],
  {
    stdio: "ignore",
    env: { ...process.env, FORCE_COLOR: "0" },
  },
);
const mock = spawn(process.execPath, ["--import", "tsx", join(root, "mock/main.ts")], {
  cwd: root,
  stdio: "ignore",
  env: { ...process.env, PORT: String(mockPort), MOCK_STREAM_DELAY_MS: "0", FORCE_COLOR: "0" },
});
const cleanup = async () => {
  await Promise.all([stop(prism), stop(mock)]);
};
process.on("SIGINT", () => cleanup().then(() => process.exit(130)));

try {
  const prismBase = `http://127.0.0.1:${prismPort}`;
  const mockBase = `http://127.0.0.1:${mockPort}${basePath}`;
  await Promise.all([
    waitReady(`${prismBase}/`, prism, "prism"),
    waitReady(`http://127.0.0.1:${mockPort}/docs`, mock, "mock"),
  ]);
  const mix = MIX.map((m) => `${m[5]} ${m[0]} (${m[4]})`).join(", ");
  console.log(`mix per 10 requests: ${mix}; ${N} requests/round, concurrency ${C}, ${ROUNDS} rounds, warmup ${WARMUP}`);
  await run(prismBase, WARMUP);
  await run(mockBase, WARMUP);
  const results = { prism: [], mock: [] };
  const mockPrismPid = childPids(mock.pid)[0];
  const cpu = { prism: 0, layer: 0, mockPrism: 0, prismReqs: 0, mockReqs: 0 };
  const badTotals = { prism: {}, mock: {} };
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 === 0 ? ["prism", "mock"] : ["mock", "prism"];
    const line = [];
    for (const who of order) {
      const before = who === "prism" ? [cpuMs(prism.pid)] : [cpuMs(mock.pid), cpuMs(mockPrismPid)];
      const r = await run(who === "prism" ? prismBase : mockBase, N);
      if (who === "prism") {
        cpu.prism += cpuMs(prism.pid) - before[0];
        cpu.prismReqs += N;
      } else {
        cpu.layer += cpuMs(mock.pid) - before[0];
        if (mockPrismPid) cpu.mockPrism += cpuMs(mockPrismPid) - before[1];
        cpu.mockReqs += N;
      }
      results[who].push(r.rps);
      for (const [k, v] of Object.entries(r.bad)) badTotals[who][k] = (badTotals[who][k] ?? 0) + v;
      line.push(`${who} ${r.rps.toFixed(0)} rps`);
    }
    console.log(`round ${i + 1}: ${line.join(", ")}`);
  }
  const p = median(results.prism);
  const m = median(results.mock);
  const ratio = m / p;
  const diff = ratio >= 1 ? `${((ratio - 1) * 100).toFixed(1)}% faster` : `${((1 - ratio) * 100).toFixed(1)}% slower`;
  const target = `target at most 10% slower: ${ratio >= 0.9 ? "met" : "MISSED"}`;
  console.log(
    `median: prism alone ${p.toFixed(0)} rps, mock ${m.toFixed(0)} rps, ` +
      `ratio mock/prism ${ratio.toFixed(3)} (mock ${diff}; ${target})`,
  );
  if (cpu.prismReqs && cpu.mockReqs) {
    const perReq = (ms, reqs) => (ms / reqs).toFixed(3);
    const split = mockPrismPid
      ? ` (layer ${perReq(cpu.layer, cpu.mockReqs)} + Prism child ${perReq(cpu.mockPrism, cpu.mockReqs)})`
      : " (layer and Prism's pipeline in one process)";
    console.log(
      `CPU per request: Prism alone ${perReq(cpu.prism, cpu.prismReqs)} ms; ` +
        `mock ${perReq(cpu.layer + cpu.mockPrism, cpu.mockReqs)} ms${split}`,
    );
  }
  for (const who of ["prism", "mock"]) {
    if (Object.keys(badTotals[who]).length)
      console.log(`unexpected statuses from ${who}: ${JSON.stringify(badTotals[who])}`);
  }
} finally {
  await cleanup();
}
