#!/usr/bin/env node
// Benchmark of `openrouter-contract check`: MB/s, exchanges/s and peak RSS on a generated JSONL of mixed exchanges
// (JSON and SSE, valid and invalid), against a baseline that only reads the same file and JSON.parses each line.
//   node bench/conformance.mjs                # 256 MB file (BENCH_MB=1024 for the 1 GB target)
//   BENCH_MB=64 node bench/conformance.mjs    # quick run
//   BENCH_KINDS=1 BENCH_MB=32 node bench/conformance.mjs   # also each kind of record alone (a file per kind)
// Last line: conformance: check 66.8 MB/s, floor 192.0 MB/s, ratio 2.87x
// The checker runs in a child process (the CLI bundled with esbuild into .tmp/) so its peak RSS is its own.
import { spawnSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const MB = Number(process.env.BENCH_MB ?? 256);
const out = join(root, ".tmp", `bench-conformance-${MB}mb.jsonl`);
const spec = JSON.parse(readFileSync(join(root, "generated/openapi.json"), "utf8"));

// --- Build record templates from the spec's own examples (no payloads hard-coded). ---
// The project's one $ref resolver; tsx lets this plain-node script import it from TypeScript.
register();
const { resolveRef } = await import("../src/spec/ref.ts");
const deref = (n) => resolveRef(spec, n).node;
const templates = [];
for (const [path, item] of Object.entries(spec.paths)) {
  const op = deref(item).post;
  if (!op) continue;
  const reqEx = Object.values(deref(op.requestBody)?.content?.["application/json"]?.examples ?? {}).map(
    (e) => deref(e).value,
  );
  const plain = reqEx.find((r) => !r.stream) ?? reqEx[0];
  const streaming = reqEx.find((r) => r.stream) ?? { ...plain, stream: true };
  for (const [status, r0] of Object.entries(op.responses)) {
    for (const [mt, m] of Object.entries(deref(r0).content ?? {})) {
      for (const e of Object.values(m.examples ?? {})) {
        const value = deref(e).value;
        const sse = mt === "text/event-stream";
        const rec = {
          v: 1,
          request: {
            method: "POST",
            url: `https://openrouter.ai/api/v1${path}`,
            headers: { "content-type": "application/json", authorization: "[REDACTED]" },
            body: sse ? streaming : plain,
          },
          response: { status: Number(status), headers: { "content-type": mt }, complete: true },
        };
        if (sse) rec.response.bodyText = value;
        else rec.response.body = value;
        templates.push({ rec, sse, ok: Number(status) === 200 });
      }
    }
  }
}
const ok200 = templates.filter((t) => t.ok);
const sseT = ok200.filter((t) => t.sse);
const jsonT = ok200.filter((t) => !t.sse);
const errT = templates.filter((t) => !t.ok);
function invalid(i) {
  const t = structuredClone((i % 2 ? sseT : jsonT)[i % (i % 2 ? sseT.length : jsonT.length)].rec);
  if (t.response.bodyText)
    t.response.bodyText = t.response.bodyText.replace(/"index":0/, '"index":"zero"').replace("data: [DONE]\n\n", "");
  else if (Array.isArray(t.response.body.choices))
    t.response.body.choices[0] = { ...t.response.body.choices[0], index: "zero", surprise: true };
  t.request.body = { ...t.request.body, temperature: 9 };
  return t;
}

async function generate() {
  mkdirSync(dirname(out), { recursive: true });
  if (existsSync(out) && statSync(out).size >= MB * 1e6) return;
  const ws = createWriteStream(out);
  let bytes = 0;
  let i = 0;
  const target = MB * 1e6;
  while (bytes < target) {
    // 50% JSON 200, 30% SSE 200, 10% error statuses, 10% invalid (request + response + stream violations)
    const k = i % 10;
    const rec =
      k < 5
        ? jsonT[i % jsonT.length].rec
        : k < 8
          ? sseT[i % sseT.length].rec
          : k < 9
            ? errT[i % errT.length].rec
            : invalid(i);
    const line = `${JSON.stringify({ ...rec, id: `ex-${i}` })}\n`;
    bytes += Buffer.byteLength(line);
    i++;
    if (!ws.write(line)) await new Promise((r) => ws.once("drain", r));
  }
  await new Promise((r) => ws.end(r));
}

// Baseline: a fresh process that reads the file with the same Buffer line splitting as the checker and
// JSON.parses every line, nothing else.
function baseline(file = out) {
  const script = join(root, ".tmp", "bench-conformance-baseline.mjs");
  writeFileSync(
    script,
    `import { createReadStream, writeSync } from "node:fs";
const t0 = performance.now();
let lines = 0, parts = [], len = 0;
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 1 << 20 })) {
  let pos = 0;
  for (;;) {
    const nl = chunk.indexOf(10, pos);
    if (nl < 0) { parts.push(chunk.subarray(pos)); len += chunk.length - pos; break; }
    const piece = chunk.subarray(pos, nl);
    const buf = parts.length ? Buffer.concat([...parts, piece], len + piece.length) : piece;
    parts = []; len = 0; pos = nl + 1;
    if (buf.length) { JSON.parse(buf.toString("utf8")); lines++; }
  }
}
if (len) { JSON.parse(Buffer.concat(parts, len).toString("utf8")); lines++; }
const ms = performance.now() - t0;
writeSync(2, "BENCH " + JSON.stringify({ ms, lines, maxRssKb: process.resourceUsage().maxRSS }) + "\\n");
`,
  );
  const r = spawnSync(process.execPath, [script, file], { encoding: "utf8" });
  const m = /BENCH (\{.*\})/.exec(r.stderr ?? "");
  if (!m) throw new Error(`baseline failed: ${(r.stderr ?? "").slice(-2000)}`);
  return JSON.parse(m[1]);
}

const built = new Set();
async function runCheck(from = root, name = "cli", file = out) {
  const runner = join(root, ".tmp", `bench-conformance-runner-${name}.mjs`);
  if (!built.has(name)) await buildCheck(from, name, runner);
  built.add(name);
  const r = spawnSync(process.execPath, [runner, "check", file, "--format", "json", "--max-violations", "1000"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  const m = /BENCH (\{.*\})/.exec(r.stderr ?? "");
  if (!m) throw new Error(`check run failed: ${(r.stderr ?? "").slice(-2000)}`);
  return JSON.parse(m[1]);
}

/** Bundle the CLI the way it ships (one ESM file, spec inlined) so the measurement has no TS loader in it. */
async function buildCheck(from, name, runner) {
  // In .tmp/ of this checkout: the CLI finds generated/explainers.cjs through the package it sits in.
  const bundle = join(root, ".tmp", `bench-conformance-${name}.mjs`);
  const { bundleEntry } = await import("./bundle.mjs");
  const { lazyAjv } = await import("../tsup.config.ts");
  await bundleEntry(from, join(from, "src/cli/run.ts"), bundle, {
    external: [], // everything inlined, the spec included
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: [lazyAjv], // as the bin is built (tsup.config.ts)
  });
  writeFileSync(
    runner,
    `import { writeSync } from "node:fs";
const { main } = await import(${JSON.stringify(bundle)});
const t0 = performance.now();
const code = await main(process.argv.slice(2), { stdout: () => {}, stderr: (s) => writeSync(2, s) });
const ms = performance.now() - t0;
writeSync(2, "\\nBENCH " + JSON.stringify({ ms, code, maxRssKb: process.resourceUsage().maxRSS }) + "\\n");
`,
  );
}

await generate();
const size = statSync(out).size;
// BENCH_BEFORE=<a checkout of an earlier version>: its CLI runs too, rounds alternate (floor, before, after), and the
// figures below are medians of BENCH_ROUNDS rounds (default 3 with BENCH_BEFORE, else 1).
const beforeRoot = process.env.BENCH_BEFORE;
const rounds = Number(process.env.BENCH_ROUNDS ?? (beforeRoot ? 3 : 1));
const runs = { base: [], chk: [], before: [] };
for (let r = 0; r < rounds; r++) {
  const order = [
    () => runs.base.push(baseline()),
    async () => runs.chk.push(await runCheck()),
    ...(beforeRoot ? [async () => runs.before.push(await runCheck(beforeRoot, "before"))] : []),
  ];
  for (let i = 0; i < order.length; i++) await order[(i + r) % order.length]();
}
const mid = (xs) => [...xs].sort((a, b) => a.ms - b.ms)[xs.length >> 1];
const base = mid(runs.base);
const chk = mid(runs.chk);
if (beforeRoot) {
  const before = mid(runs.before);
  const per = runs.chk.map((c, i) => (runs.before[i].ms / c.ms).toFixed(2)).join(", ");
  console.log(
    `before (BENCH_BEFORE=${beforeRoot}): ${(before.ms / 1000).toFixed(2)} s, ${(before.ms / base.ms).toFixed(2)}× ` +
      `the floor; after ${(chk.ms / 1000).toFixed(2)} s, ${(chk.ms / base.ms).toFixed(2)}×; ` +
      `before/after ${(before.ms / chk.ms).toFixed(2)}× (per round ${per}; medians of ${rounds} rounds)`,
  );
}
const mbps = (bytes, ms) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
console.log(
  `conformance check benchmark — ${(size / 1e6).toFixed(0)} MB, ${base.lines} exchanges ` +
    `(50% JSON, 30% SSE, 10% error statuses, 10% invalid), Node ${process.version}`,
);
console.log(
  `  baseline (read + JSON.parse):  ${mbps(size, base.ms)} MB/s, ` +
    `${Math.round(base.lines / (base.ms / 1000))} lines/s (${(base.ms / 1000).toFixed(2)} s), ` +
    `peak RSS ${(base.maxRssKb / 1024).toFixed(0)} MB`,
);
console.log(
  `  check:                         ${mbps(size, chk.ms)} MB/s, ` +
    `${Math.round(base.lines / (chk.ms / 1000))} exchanges/s (${(chk.ms / 1000).toFixed(2)} s), exit ${chk.code}`,
);
console.log(
  `  check peak RSS:                ${(chk.maxRssKb / 1024).toFixed(0)} MB (whole process, esbuild bundle of the CLI)`,
);
console.log(`  ratio check/baseline time:     ${(chk.ms / base.ms).toFixed(2)}×`);
console.log(
  `  machine load average at start: ${(await import("node:os"))
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} (${(await import("node:os")).cpus().length} cores, shared)`,
);
const speedMet = Number(mbps(size, chk.ms)) >= 30 ? "met" : "NOT met";
const rssMet = chk.maxRssKb / 1024 <= 200 ? "met" : "NOT met";
console.log(
  `  targets: ≥30 MB/s → ${speedMet}; peak RSS ≤200 MB → ${rssMet} (on this ${(size / 1e6).toFixed(0)} MB file)`,
);
// BENCH_KINDS=1: the file split by kind of record (by id, as generated), each checked alone against its own floor
// (medians of the rounds; each kind pays its own start-up and warm-up, so the kinds add up to more than the whole).
if (process.env.BENCH_KINDS) {
  const kinds = ["JSON 200", "SSE 200", "error statuses", "invalid"];
  const lines = readFileSync(out, "utf8").split("\n").filter(Boolean);
  const kindOf = (l) => {
    const k = Number(/"id":"ex-(\d+)"/.exec(l)[1]) % 10;
    return k < 5 ? 0 : k < 8 ? 1 : k < 9 ? 2 : 3;
  };
  for (const [i, name] of kinds.entries()) {
    const file = out.replace(/\.jsonl$/, `-kind${i}.jsonl`);
    const mine = lines.filter((l) => kindOf(l) === i);
    writeFileSync(file, `${mine.join("\n")}\n`);
    const [b, c, p] = [[], [], []];
    for (let r = 0; r < rounds; r++) {
      b.push(baseline(file));
      c.push(await runCheck(root, "cli", file));
      if (beforeRoot) p.push(await runCheck(beforeRoot, "before", file));
    }
    const was = beforeRoot ? `before ${(mid(p).ms / 1000).toFixed(2)} s → ` : "";
    const now = `check ${(mid(c).ms / 1000).toFixed(2)} s`;
    console.log(
      `  ${name.padEnd(15)} ${String(mine.length).padStart(7)} records: ${was}${now}, ` +
        `floor ${(mid(b).ms / 1000).toFixed(3)} s (${(mid(c).ms / mid(b).ms).toFixed(1)}×)`,
    );
  }
}
// Last line (machine-readable): the check against its floor, read + JSON.parse of the same file in the same run.
console.log(
  `conformance: check ${mbps(size, chk.ms)} MB/s, floor ${mbps(size, base.ms)} MB/s, ` +
    `ratio ${(chk.ms / base.ms).toFixed(2)}x`,
);
