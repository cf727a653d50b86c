#!/usr/bin/env node
// Cold start of the CLI: `openrouter-contract validate createChatCompletion request <file>` (a valid request, the
// spec's own example) against bare `node -e 0`, alternating, in fresh processes. The bin is bundled the way
// `npm run build` bundles dist/cli.js (tsup.config.ts: the same entry, externals and plugins) into .tmp/.
//   node bench/cli-start.mjs            # 15 rounds
//   BENCH_ROUNDS=5 node bench/cli-start.mjs
// Last line (machine-readable): cli start: validate 0.21 s, node -e 0 0.10 s, ratio 2.10x
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";
import { bundleEntry } from "./bundle.mjs";
import { median } from "./stats.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const tmp = join(root, ".tmp", "bench-cli-start");
mkdirSync(tmp, { recursive: true });

// The bin as tsup builds it (dependencies external, so they load from node_modules as in an install).
register();
const { builds } = await import("../tsup.config.ts");
const cliBuild = builds.find((b) => b.entry && "cli" in b.entry);
const bin = join(tmp, "cli.js");
await bundleEntry(root, join(root, "src/cli/main.ts"), bin, {
  external: cliBuild.external,
  plugins: cliBuild.esbuildPlugins ?? [],
});
const spec = JSON.parse(readFileSync(join(root, "generated/openapi.json"), "utf8"));
const request = join(tmp, "request.json");
const examples = Object.values(spec.components?.examples ?? {}).filter((e) => e.value?.messages && !e.value.stream);
writeFileSync(request, JSON.stringify(examples[0].value));

const time = (args) => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stdout}${r.stderr}`);
  return ms;
};
const cli = [bin, "validate", "createChatCompletion", "request", request];
time(cli); // warm the file cache
const base = [];
const run = [];
for (let i = 0; i < rounds; i++) {
  base.push(time(["-e", "0"]));
  run.push(time(cli));
}
const b = median(base);
const c = median(run);
const os = await import("node:os");
console.log(`CLI cold start, ${rounds} rounds alternating, Node ${process.version}`);
console.log(`  node -e 0:                       median ${b.toFixed(0)} ms`);
console.log(`  validate … request (valid file): median ${c.toFixed(0)} ms`);
console.log(
  `  load average: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")} (${os.cpus().length} cores, shared)`,
);
console.log(
  `cli start: validate ${(c / 1000).toFixed(2)} s, node -e 0 ${(b / 1000).toFixed(2)} s, ratio ${(c / b).toFixed(2)}x`,
);
