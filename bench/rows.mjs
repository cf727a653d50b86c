#!/usr/bin/env node
// Every speed row of issue 21 in one run, each from its own bench script (which measures its own floor in the same
// run), printed as one table:
//   node bench/rows.mjs                                  # this checkout
//   BENCH_BEFORE=/path/a,/path/b node bench/rows.mjs     # the same scripts of earlier checkouts too, interleaved
//   BENCH_ROWS=cli,proxy node bench/rows.mjs             # some rows only (cli, check, strict, proxy)
// Each bench runs in its checkout with that checkout's script and dependencies; a checkout without a script shows
// "n/a". Last line (machine-readable): rows: cli 1.83x, check 7.42x, strict 1.42x, bundle 7794 B, proxy 1.23x
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const before = (process.env.BENCH_BEFORE ?? "")
  .split(",")
  .filter(Boolean)
  .map((d) => resolve(d));
const checkouts = [...before, here];

/** `last` picks the figure from the bench's output; every row's target is from issue 21. */
const rows = [
  { id: "cli", script: "cli-start.mjs", args: [], env: {}, target: "≤ 2×", pick: (o) => num(o, /ratio ([\d.]+)x\s*$/) },
  {
    id: "check",
    script: "conformance.mjs",
    args: [],
    env: { BENCH_MB: "32" },
    target: "≤ 2×",
    // Older scripts print only "ratio check/baseline time: 12.80×".
    pick: (o) => num(o, /conformance: .*ratio ([\d.]+)x/) ?? num(o, /ratio check\/baseline time:\s+([\d.]+)×/),
  },
  {
    id: "strict",
    script: "client.mjs",
    args: ["--quick"],
    env: {},
    target: "≤ 1.15×",
    pick: (o) => num(o, /strict stream ([\d.]+)x/),
    also: { id: "bundle", target: "≤ 6,000 B", pick: bundleBytes },
  },
  {
    id: "proxy",
    script: "proxy.mjs",
    args: ["--quick"],
    env: {},
    target: "≤ 1.10×",
    pick: (o) => num(o, /stream ([\d.]+)x \(pipe/),
  },
];

function num(out, re) {
  const m = re.exec(out);
  return m ? Number(m[1]) : undefined;
}

/** The larger of the split and unsplit app's gzip bytes (the target holds for both). */
function bundleBytes(out) {
  const sizes = [...out.matchAll(/(\d+) B gzip -9/g)].map((m) => Number(m[1]));
  return sizes.length ? Math.max(...sizes) : undefined;
}

function run(dir, row) {
  const script = join(dir, "bench", row.script);
  if (!existsSync(script)) return { out: "", missing: true };
  const r = spawnSync(process.execPath, [script, ...row.args], {
    cwd: dir,
    env: { ...process.env, BENCH_BEFORE: "", ...row.env },
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) process.stderr.write(`${dir} ${row.script} exited ${r.status}:\n${r.stderr.slice(-2000)}\n`);
  return { out: r.stdout ?? "" };
}

const only = (process.env.BENCH_ROWS ?? "").split(",").filter(Boolean);
const chosen = only.length ? rows.filter((r) => only.includes(r.id)) : rows;
const results = new Map(); // `${id} ${dir}` -> figure
console.log(
  `issue 21 rows, Node ${process.version}, load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
for (const [i, row] of chosen.entries()) {
  // Rotate the order per row so no checkout always runs first (the file cache, the machine's drift).
  const order = checkouts.map((_, k) => checkouts[(k + i) % checkouts.length]);
  for (const dir of order) {
    const { out, missing } = run(dir, row);
    for (const r of [row, row.also].filter(Boolean)) results.set(`${r.id} ${dir}`, missing ? "n/a" : r.pick(out));
    process.stderr.write(`  ${row.script} in ${dir}: done\n`);
  }
}
const all = chosen.flatMap((r) => [r, r.also].filter(Boolean));
console.log(`| row | target | ${checkouts.map((d) => (d === here ? "this checkout" : d)).join(" | ")} |`);
console.log(`|---|---|${checkouts.map(() => "---").join("|")}|`);
for (const r of all) {
  const cells = checkouts.map((d) => fmt(r, results.get(`${r.id} ${d}`)));
  console.log(`| ${r.id} | ${r.target} | ${cells.join(" | ")} |`);
}
console.log(
  `load average at the end ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`,
);
console.log(`rows: ${all.map((r) => `${r.id} ${fmt(r, results.get(`${r.id} ${here}`))}`).join(", ")}`);

function fmt(row, v) {
  if (v === undefined || v === "n/a") return "n/a";
  return row.id === "bundle" ? `${v} B` : `${v.toFixed(2)}x`;
}
