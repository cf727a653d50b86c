// `npm start`'s pre-step (`prestart`): run `npm run generate` when generated/ is missing or openapi/ changed since,
// so the mock then serves what the spec says. Unchanged sources cost one stat per file and no generation.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// `npm run generate`'s script, run in this process's Node with tsx's loader (as `tsx scripts/generate.ts` does).
const generate = ["--import", "tsx", join(repoRoot, "scripts/generate.ts")];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const m = statSync(join(d.parentPath ?? d.path, d.name)).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

function regenerateIfStale(): void {
  const outputs = ["generated/openapi.yaml", "generated/openapi.json", "generated/docs/index.html"];
  const paths = outputs.map((f) => join(repoRoot, f));
  const missing = paths.some((f) => !existsSync(f));
  const oldestOutput = missing ? 0 : Math.min(...paths.map((f) => statSync(f).mtimeMs));
  const src = join(repoRoot, "openapi");
  const stale = missing || (existsSync(src) && newestMtime(src) > oldestOutput);
  if (!stale) return;
  if (!missing) {
    // Newer mtimes alone (a fresh clone, a touched file) do not mean new content: compare the actual output first.
    try {
      execFileSync(process.execPath, [...generate, "--check"], { cwd: repoRoot, stdio: "ignore" });
      const now = new Date();
      for (const f of paths) utimesSync(f, now, now); // up to date: skip this check next time
      return;
    } catch {
      /* content differs: regenerate below */
    }
  }
  const why = missing ? "generated/ is missing" : "openapi/ changed since the last generate";
  console.log(`${why}: running \`npm run generate\`...`);
  try {
    execFileSync(process.execPath, generate, { cwd: repoRoot, stdio: "inherit" });
  } catch {
    console.error("Generation failed: fix the spec (see the errors above), then run `npm start` again.");
    process.exitCode = 1;
  }
}

regenerateIfStale();
